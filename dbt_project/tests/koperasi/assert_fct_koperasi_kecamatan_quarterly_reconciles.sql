{#- In Dagster, a check on fct_koperasi_kecamatan_quarterly. -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_koperasi_kecamatan_quarterly'}}}) }}
-- The kecamatan breakdown adds up to the city-wide indicator figures of the same quarter.
with per_kecamatan as (
    select
        tahun,
        triwulan,
        sum(koperasi_aktif) as koperasi_aktif,
        sum(koperasi_berkualitas) as koperasi_berkualitas,
        sum(koperasi_nib_simpan_pinjam) as koperasi_nib_simpan_pinjam,
        sum(koperasi_diperiksa) as koperasi_diperiksa,
        sum(koperasi_dinilai) as koperasi_dinilai,
        sum(peserta_diklat) as peserta_diklat,
        sum(jumlah_pengurus_aktif) as jumlah_pengurus_aktif,
        sum(volume_usaha_ytd) as volume_usaha_ytd
    from {{ ref('fct_koperasi_kecamatan_quarterly') }}
    group by tahun, triwulan
),

indicators as (
    select * from {{ ref('int_koperasi_indicators_computed') }}
)

select per_kecamatan.tahun, per_kecamatan.triwulan, indicators.kode_indikator
from per_kecamatan
inner join indicators
    on indicators.tahun = per_kecamatan.tahun
    and indicators.triwulan = per_kecamatan.triwulan
where (indicators.kode_indikator = 'IKU-01'
        and (indicators.numerator <> per_kecamatan.koperasi_berkualitas
            or indicators.denominator <> per_kecamatan.koperasi_aktif))
    or (indicators.kode_indikator = 'PRG-02' and indicators.numerator <> per_kecamatan.koperasi_nib_simpan_pinjam)
    or (indicators.kode_indikator = 'PRG-03' and indicators.numerator <> per_kecamatan.koperasi_diperiksa)
    or (indicators.kode_indikator = 'PRG-04' and indicators.numerator <> per_kecamatan.koperasi_dinilai)
    or (indicators.kode_indikator = 'PRG-05'
        and (indicators.numerator <> per_kecamatan.peserta_diklat
            or indicators.denominator <> per_kecamatan.jumlah_pengurus_aktif))
    or (indicators.kode_indikator = 'PRG-06'
        and indicators.numerator + indicators.denominator <> per_kecamatan.volume_usaha_ytd)
