{#- The records of fct_indicator_basis and fct_budget_basis add up to the figures they explain, in
    every quarter they hold: each indicator's numerator and denominator (a manual one's delivered
    figure), each sub-activity's pagu murni, pagu in force and realisasi. Returns each figure whose
    records do not add up to it, or records of a figure that does not exist. -#}
{#- In Dagster, a check on fct_indicator_basis. -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_indicator_basis'}}}) }}
with quarters as (
    select tahun, triwulan from ({{ explained_quarters() }}) as explained
    union
    select tahun, triwulan from {{ ref('fct_indicator_basis') }}
),

indicator_sums as (
    select
        kode_indikator,
        tahun,
        triwulan,
        coalesce(sum(numerator), 0) as numerator,
        coalesce(sum(denominator), 0) as denominator,
        sum(nilai) as nilai
    from {{ ref('fct_indicator_basis') }}
    group by kode_indikator, tahun, triwulan
),

indicator_figures as (
    select figures.*
    from {{ ref('fct_indicator_quarterly') }} as figures
    inner join quarters
        on quarters.tahun = figures.tahun
        and quarters.triwulan = figures.triwulan
),

budget_sums as (
    select
        kode_sub_kegiatan,
        tahun,
        triwulan,
        coalesce(sum(pagu_murni), 0) as pagu_murni,
        coalesce(sum(pagu), 0) as pagu,
        coalesce(sum(realisasi), 0) as realisasi
    from {{ ref('fct_budget_basis') }}
    group by kode_sub_kegiatan, tahun, triwulan
),

budget_figures as (
    select figures.*
    from {{ ref('fct_budget_quarterly') }} as figures
    inner join (select distinct tahun, triwulan from {{ ref('fct_budget_basis') }}) as quarters
        on quarters.tahun = figures.tahun
        and quarters.triwulan = figures.triwulan
    where figures.level = 'sub_kegiatan'
)

select
    coalesce(figures.kode_indikator, sums.kode_indikator) as kode,
    coalesce(figures.tahun, sums.tahun) as tahun,
    coalesce(figures.triwulan, sums.triwulan) as triwulan
from indicator_figures as figures
full outer join indicator_sums as sums
    on sums.kode_indikator = figures.kode_indikator
    and sums.tahun = figures.tahun
    and sums.triwulan = figures.triwulan
where figures.kode_indikator is null
    or coalesce(sums.numerator, 0) <> coalesce(figures.numerator, 0)
    or coalesce(sums.denominator, 0) <> coalesce(figures.denominator, 0)
    or (figures.numerator is null and figures.nilai is distinct from sums.nilai)
union all
select
    coalesce(figures.kode, sums.kode_sub_kegiatan),
    coalesce(figures.tahun, sums.tahun),
    coalesce(figures.triwulan, sums.triwulan)
from budget_figures as figures
full outer join budget_sums as sums
    on sums.kode_sub_kegiatan = figures.kode
    and sums.tahun = figures.tahun
    and sums.triwulan = figures.triwulan
where figures.kode is null
    or coalesce(sums.pagu_murni, 0) <> figures.pagu_murni
    or coalesce(sums.pagu, 0) <> figures.pagu
    or coalesce(sums.realisasi, 0) <> figures.realisasi
