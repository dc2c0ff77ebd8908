{{ config(materialized='incremental', **quarters_replaced()) }}

{#- Business counts per kecamatan on each quarter end D (indicators.md, Businesses): every
    kecamatan every quarter, 0 where it has none. -#}
with jumlah as (
    select * from {{ ref('int_umkm_counts_replayed') }}
),

disorot as (
    select
        tahun,
        triwulan,
        kecamatan,
        sum(case when is_naik_kelas then 1 else 0 end) as usaha_naik_kelas,
        sum(case when is_pkl_diberdayakan then 1 else 0 end) as pkl_diberdayakan
    from {{ ref('int_umkm_states_replayed') }}
    group by tahun, triwulan, kecamatan
)

select
    jumlah.kecamatan,
    jumlah.tahun,
    jumlah.triwulan,
    jumlah.as_of_date,
    jumlah.usaha_mikro_terdata,
    jumlah.wirausaha,
    cast(coalesce(disorot.usaha_naik_kelas, 0) as integer) as usaha_naik_kelas,
    jumlah.pkl_terdaftar,
    cast(coalesce(disorot.pkl_diberdayakan, 0) as integer) as pkl_diberdayakan
from jumlah
left join disorot
    on disorot.tahun = jumlah.tahun
    and disorot.triwulan = jumlah.triwulan
    and disorot.kecamatan = jumlah.kecamatan
