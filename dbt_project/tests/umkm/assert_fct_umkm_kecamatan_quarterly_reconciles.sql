{#- Returns each quarter and indicator whose city-wide numerator or denominator in
    fct_indicator_quarterly is not the sum of the kecamatan breakdown (IKU-02, PRG-07, PRG-08A).
    A warning here; the quality gate blocks on it, reading the view of the breaking rows dbt keeps
    (expectations/suites/marts__fct_umkm_kecamatan_quarterly.json, README: The quality gate). -#}
{#- In Dagster, a check on fct_umkm_kecamatan_quarterly. -#}
{{ config(severity='warn', store_failures_as='view',
    meta={'dagster': {'ref': {'name': 'fct_umkm_kecamatan_quarterly'}}}) }}

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
)

select
    city.kode_indikator,
    city.tahun,
    city.triwulan,
    city.numerator,
    city.denominator,
    per_kecamatan.usaha_mikro_terdata,
    per_kecamatan.wirausaha,
    per_kecamatan.usaha_naik_kelas,
    per_kecamatan.pkl_terdaftar,
    per_kecamatan.pkl_diberdayakan
from {{ ref('fct_indicator_quarterly') }} as city
inner join per_kecamatan
    on per_kecamatan.tahun = city.tahun
    and per_kecamatan.triwulan = city.triwulan
where (city.kode_indikator = 'IKU-02' and (city.numerator <> per_kecamatan.usaha_naik_kelas
        or city.denominator <> per_kecamatan.usaha_mikro_terdata))
    or (city.kode_indikator = 'PRG-07' and (city.numerator <> per_kecamatan.pkl_diberdayakan
        or city.denominator <> per_kecamatan.pkl_terdaftar))
    or (city.kode_indikator = 'PRG-08A' and (city.numerator <> per_kecamatan.wirausaha
        or city.denominator <> per_kecamatan.usaha_mikro_terdata))
