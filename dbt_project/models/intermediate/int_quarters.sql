{#- Every quarter end D to build: from the first to the last quarter with data, within the vars
    quarter_from / quarter_to ("2024Q1") when given. -#}
with data_days as (
    select tanggal_efektif as hari from {{ ref('stg_ods__rats') }}
    union all select tanggal from {{ ref('stg_ods__kegiatans') }}
    union all select tanggal_pendataan from {{ ref('stg_sip3__umkms') }}
    union all select tanggal from {{ ref('stg_sip3__pembinaans') }}
    union all select tanggal_penetapan from {{ ref('stg_ledger__anggarans') }}
    union all select tanggal_sp2d from {{ ref('stg_ledger__realisasis') }}
    union all select make_date(tahun, triwulan * 3, 1) from {{ ref('stg_manual__indikators') }}
),

bounds as (
    select min(hari) as first_day, max(hari) as last_day from data_days
),

quarters as (
    select
        years.tahun,
        q.triwulan,
        make_date(years.tahun, q.bulan_akhir, q.hari_akhir) as as_of_date,
        make_date(years.tahun, q.bulan_akhir - 2, 1) as quarter_start
    from (select distinct extract(year from hari) as tahun from data_days) as years
    cross join {{ ref('triwulan') }} as q
)

select
    cast(quarters.tahun as integer) as tahun,
    cast(quarters.triwulan as integer) as triwulan,
    quarters.as_of_date,
    make_date(quarters.tahun, 1, 1) as year_start,
    make_date(quarters.tahun - 1, 1, 1) as previous_year_start,
    make_date(quarters.tahun - 1, extract(month from quarters.as_of_date),
              extract(day from quarters.as_of_date)) as previous_year_as_of_date
from quarters
cross join bounds
where quarters.as_of_date >= bounds.first_day
    and quarters.quarter_start <= bounds.last_day
{%- if var('quarter_from') %}
    and quarters.tahun * 10 + quarters.triwulan >= {{ var('quarter_from')[:4] }}{{ var('quarter_from')[-1] }}
{%- endif %}
{%- if var('quarter_to') %}
    and quarters.tahun * 10 + quarters.triwulan <= {{ var('quarter_to')[:4] }}{{ var('quarter_to')[-1] }}
{%- endif %}
