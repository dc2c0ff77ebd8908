{#- Returns each quarter and indicator whose city-wide numerator or denominator in
    fct_indicator_quarterly is not the sum of the kecamatan breakdown (IKU-01, PRG-02 .. PRG-05; for
    the growth rates PRG-06 and RPD-02, numerator + denominator is this year's volume to date).
    A warning here; the quality gate blocks on it, reading the view of the breaking rows dbt keeps
    (expectations/suites/marts__fct_koperasi_kecamatan_quarterly.json, README: The quality gate). -#}
{#- In Dagster, a check on fct_koperasi_kecamatan_quarterly. -#}
{{ config(severity='warn', store_failures_as='view',
    meta={'dagster': {'ref': {'name': 'fct_koperasi_kecamatan_quarterly'}}}) }}

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
)

select
    city.kode_indikator,
    city.tahun,
    city.triwulan,
    city.numerator,
    city.denominator,
    per_kecamatan.koperasi_aktif,
    per_kecamatan.koperasi_berkualitas,
    per_kecamatan.koperasi_nib_simpan_pinjam,
    per_kecamatan.koperasi_diperiksa,
    per_kecamatan.koperasi_dinilai,
    per_kecamatan.peserta_diklat,
    per_kecamatan.jumlah_pengurus_aktif,
    per_kecamatan.volume_usaha_ytd
from {{ ref('fct_indicator_quarterly') }} as city
inner join per_kecamatan
    on per_kecamatan.tahun = city.tahun
    and per_kecamatan.triwulan = city.triwulan
where (city.kode_indikator = 'IKU-01' and (city.numerator <> per_kecamatan.koperasi_berkualitas
        or city.denominator <> per_kecamatan.koperasi_aktif))
    or (city.kode_indikator = 'PRG-02' and (city.numerator <> per_kecamatan.koperasi_nib_simpan_pinjam
        or city.denominator <> per_kecamatan.koperasi_aktif))
    or (city.kode_indikator = 'PRG-03' and (city.numerator <> per_kecamatan.koperasi_diperiksa
        or city.denominator <> per_kecamatan.koperasi_aktif))
    or (city.kode_indikator = 'PRG-04' and (city.numerator <> per_kecamatan.koperasi_dinilai
        or city.denominator <> per_kecamatan.koperasi_aktif))
    or (city.kode_indikator = 'PRG-05' and (city.numerator <> per_kecamatan.peserta_diklat
        or city.denominator <> per_kecamatan.jumlah_pengurus_aktif))
    or (city.kode_indikator in ('PRG-06', 'RPD-02')
        and city.numerator + city.denominator <> per_kecamatan.volume_usaha_ytd)
