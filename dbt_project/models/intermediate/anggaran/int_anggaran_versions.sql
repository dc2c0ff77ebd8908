{#- One row per budget version (tahun_anggaran, tahap), numbered in the order the versions take
    effect within the year. -#}
with budget_lines as (
    select
        tahun_anggaran,
        tahap,
        tanggal_penetapan,
        -- a re-delivered version may move its date: its latest delivery says when it took effect
        row_number() over (
            partition by tahun_anggaran, tahap order by ingested_at desc
        ) as delivery_recency
    from {{ ref('stg_ledger__anggarans') }}
),

versions as (
    select
        cast(tahun_anggaran as integer) as tahun_anggaran,
        tahap,
        tanggal_penetapan as tanggal_efektif,
        case tahap when 'MURNI' then 1 when 'PERGESERAN' then 2 when 'PERUBAHAN' then 3 end
            as urutan_tahap
    from budget_lines
    where delivery_recency = 1
)

select
    tahun_anggaran,
    tahap,
    tanggal_efektif,
    row_number() over (
        partition by tahun_anggaran order by tanggal_efektif, urutan_tahap
    ) as urutan_versi
from versions
