{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['tahun', 'triwulan']) }}

{#- Business counts per kecamatan on each quarter end D (indicators.md, Businesses): every
    kecamatan every quarter, 0 where it has none. -#}
with hari as (
    select tahun, triwulan, as_of_date from {{ ref('int_quarters') }}
),

kecamatan as (
    select kecamatan from {{ ref('kecamatan') }}
),

hitungan as (
    select
        tahun,
        triwulan,
        kecamatan,
        sum(case when is_mikro_terdata then 1 else 0 end) as usaha_mikro_terdata,
        sum(case when is_wirausaha then 1 else 0 end) as wirausaha,
        sum(case when is_naik_kelas then 1 else 0 end) as usaha_naik_kelas,
        sum(case when is_pkl_terdaftar then 1 else 0 end) as pkl_terdaftar,
        sum(case when is_pkl_diberdayakan then 1 else 0 end) as pkl_diberdayakan
    from {{ ref('int_umkm_states_replayed') }}
    group by tahun, triwulan, kecamatan
)

select
    kecamatan.kecamatan,
    hari.tahun,
    hari.triwulan,
    hari.as_of_date,
    cast(coalesce(hitungan.usaha_mikro_terdata, 0) as integer) as usaha_mikro_terdata,
    cast(coalesce(hitungan.wirausaha, 0) as integer) as wirausaha,
    cast(coalesce(hitungan.usaha_naik_kelas, 0) as integer) as usaha_naik_kelas,
    cast(coalesce(hitungan.pkl_terdaftar, 0) as integer) as pkl_terdaftar,
    cast(coalesce(hitungan.pkl_diberdayakan, 0) as integer) as pkl_diberdayakan
from hari
cross join kecamatan
left join hitungan
    on hitungan.tahun = hari.tahun
    and hitungan.triwulan = hari.triwulan
    and hitungan.kecamatan = kecamatan.kecamatan
