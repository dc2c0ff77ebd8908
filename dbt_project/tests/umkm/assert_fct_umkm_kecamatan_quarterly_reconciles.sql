{#- In Dagster, a check on fct_umkm_kecamatan_quarterly. -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_umkm_kecamatan_quarterly'}}}) }}
-- The kecamatan breakdown adds up to the city-wide indicator figures of the same quarter.
with per_kecamatan as (
    select
        tahun,
        triwulan,
        sum(usaha_mikro_terdata) as usaha_mikro_terdata,
        sum(wirausaha) as wirausaha,
        sum(usaha_naik_kelas) as usaha_naik_kelas,
        sum(pkl_terdaftar) as pkl_terdaftar,
        sum(pkl_diberdayakan) as pkl_diberdayakan
    from {{ ref('fct_umkm_kecamatan_quarterly') }}
    group by tahun, triwulan
),

indicators as (
    select * from {{ ref('int_umkm_indicators_computed') }}
)

select per_kecamatan.tahun, per_kecamatan.triwulan, indicators.kode_indikator
from per_kecamatan
inner join indicators
    on indicators.tahun = per_kecamatan.tahun
    and indicators.triwulan = per_kecamatan.triwulan
where (indicators.kode_indikator = 'IKU-02'
        and (indicators.numerator <> per_kecamatan.usaha_naik_kelas
            or indicators.denominator <> per_kecamatan.usaha_mikro_terdata))
    or (indicators.kode_indikator = 'PRG-07'
        and (indicators.numerator <> per_kecamatan.pkl_diberdayakan
            or indicators.denominator <> per_kecamatan.pkl_terdaftar))
    or (indicators.kode_indikator = 'PRG-08A'
        and (indicators.numerator <> per_kecamatan.wirausaha
            or indicators.denominator <> per_kecamatan.usaha_mikro_terdata))
