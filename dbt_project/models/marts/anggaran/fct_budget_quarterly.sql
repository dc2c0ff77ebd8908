{{ config(materialized='incremental', **quarters_replaced()) }}

{#- One row per (level, kode, tahun, triwulan): pagu murni, pagu in force, realisasi to date and
    serapan, per sub-activity rolled up to kegiatan, program, key indicator and the whole urusan. -#}
with sub_kegiatan_budgets as (
    select * from {{ ref('int_sub_kegiatan_budgets_replayed') }}
),

sub_kegiatan_rows as (
    select
        'sub_kegiatan' as level,
        kode_sub_kegiatan as kode,
        nama_sub_kegiatan as nama,
        kode_program,
        tahun,
        triwulan,
        as_of_date,
        pagu_murni,
        pagu,
        realisasi
    from sub_kegiatan_budgets
),

kegiatan_rows as (
    select
        'kegiatan' as level,
        kode_kegiatan as kode,
        max(nama_kegiatan) as nama,
        kode_program,
        tahun,
        triwulan,
        as_of_date,
        sum(pagu_murni) as pagu_murni,
        sum(pagu) as pagu,
        sum(realisasi) as realisasi
    from sub_kegiatan_budgets
    group by kode_kegiatan, kode_program, tahun, triwulan, as_of_date
),

program_budgets as (
    select
        kode_program,
        max(nama_program) as nama_program,
        tahun,
        triwulan,
        as_of_date,
        sum(pagu_murni) as pagu_murni,
        sum(pagu) as pagu,
        sum(realisasi) as realisasi
    from sub_kegiatan_budgets
    group by kode_program, tahun, triwulan, as_of_date
),

program_rows as (
    select
        'program' as level,
        program_budgets.kode_program as kode,
        coalesce(programs.nama_program, program_budgets.nama_program) as nama,
        program_budgets.kode_program,
        program_budgets.tahun,
        program_budgets.triwulan,
        program_budgets.as_of_date,
        program_budgets.pagu_murni,
        program_budgets.pagu,
        program_budgets.realisasi
    from program_budgets
    left join {{ ref('program') }} as programs
        on programs.kode_program = program_budgets.kode_program
),

iku_rows as (
    select
        'iku' as level,
        program_indicators.kode_indikator as kode,
        max(indicators.nama_indikator) as nama,
        cast(null as {{ dbt.type_string() }}) as kode_program,
        program_budgets.tahun,
        program_budgets.triwulan,
        program_budgets.as_of_date,
        sum(program_budgets.pagu_murni) as pagu_murni,
        sum(program_budgets.pagu) as pagu,
        sum(program_budgets.realisasi) as realisasi
    from program_budgets
    inner join {{ ref('program_indikator') }} as program_indicators
        on program_indicators.kode_program = program_budgets.kode_program
    left join {{ ref('indikator') }} as indicators
        on indicators.kode_indikator = program_indicators.kode_indikator
    group by program_indicators.kode_indikator, program_budgets.tahun, program_budgets.triwulan,
        program_budgets.as_of_date
),

total_rows as (
    select
        'total' as level,
        '2.17' as kode,
        'Koperasi, Usaha Kecil, dan Menengah' as nama,
        cast(null as {{ dbt.type_string() }}) as kode_program,
        tahun,
        triwulan,
        as_of_date,
        sum(pagu_murni) as pagu_murni,
        sum(pagu) as pagu,
        sum(realisasi) as realisasi
    from program_budgets
    group by tahun, triwulan, as_of_date
),

budget_rows as (
    select * from sub_kegiatan_rows
    union all select * from kegiatan_rows
    union all select * from program_rows
    union all select * from iku_rows
    union all select * from total_rows
)

select
    cast(level as {{ dbt.type_string() }}) as level,
    cast(kode as {{ dbt.type_string() }}) as kode,
    cast(nama as {{ dbt.type_string() }}) as nama,
    kode_program,
    tahun,
    triwulan,
    as_of_date,
    cast(pagu_murni as decimal(18, 2)) as pagu_murni,
    cast(pagu as decimal(18, 2)) as pagu,
    cast(realisasi as decimal(18, 2)) as realisasi,
    cast({{ percent_half_up('realisasi', 'pagu', 2) }} as decimal(10, 2)) as serapan_pct,
    {{ knowledge_time() }} as known_at
from budget_rows
