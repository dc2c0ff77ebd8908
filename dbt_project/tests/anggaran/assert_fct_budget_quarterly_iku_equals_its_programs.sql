{#- In Dagster, a check on fct_budget_quarterly. -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_budget_quarterly'}}}) }}
{#- Every quarter, each key indicator's row adds up the programs mapped to it in seed
    program_indikator. Returns each indicator that disagrees or is missing. -#}
with programs as (
    select tahun, triwulan, kode, pagu_murni, pagu, realisasi
    from {{ ref('fct_budget_quarterly') }}
    where level = 'program'
),

expected as (
    select
        programs.tahun,
        programs.triwulan,
        program_indicators.kode_indikator,
        sum(programs.pagu_murni) as pagu_murni,
        sum(programs.pagu) as pagu,
        sum(programs.realisasi) as realisasi
    from programs
    inner join {{ ref('program_indikator') }} as program_indicators
        on program_indicators.kode_program = programs.kode
    group by programs.tahun, programs.triwulan, program_indicators.kode_indikator
),

iku as (
    select tahun, triwulan, kode as kode_indikator, pagu_murni, pagu, realisasi
    from {{ ref('fct_budget_quarterly') }}
    where level = 'iku'
)

select
    coalesce(expected.tahun, iku.tahun) as tahun,
    coalesce(expected.triwulan, iku.triwulan) as triwulan,
    coalesce(expected.kode_indikator, iku.kode_indikator) as kode_indikator,
    expected.pagu_murni as programs_pagu_murni,
    iku.pagu_murni,
    expected.pagu as programs_pagu,
    iku.pagu,
    expected.realisasi as programs_realisasi,
    iku.realisasi
from expected
full outer join iku
    on iku.tahun = expected.tahun
    and iku.triwulan = expected.triwulan
    and iku.kode_indikator = expected.kode_indikator
where expected.kode_indikator is null
    or iku.kode_indikator is null
    or iku.pagu_murni <> expected.pagu_murni
    or iku.pagu <> expected.pagu
    or iku.realisasi <> expected.realisasi
