{{ config(materialized='incremental', **quarters_replaced(explained=true)) }}

{#- The records behind each indicator's figure (fct_indicator_quarterly) of the quarters explained
    (macro explained_quarters): per indicator, quarter and record, what it adds to the numerator and
    to the denominator (null: nothing there), and the figure a manual indicator delivers, with why and
    where the record's winning version came from. Its sums are the figures: tests/indikator/
    assert_basis_adds_up_to_the_figures.sql. -#}
with quarters as (
    {{ explained_quarters() }}
),

koperasi as (
    {{ koperasi_records_counted() }}
),

umkm as (
    {{ umkm_records_counted() }}
),

-- an absorption indicator (PRG-01A): its program's payments over its program's pagu in force
serapan as (
    select
        indikator.kode_indikator,
        budget.tahun,
        budget.triwulan,
        budget.as_of_date,
        budget.realisasi as numerator,
        budget.pagu as denominator,
        budget.kind,
        budget.tanggal,
        budget.alasan,
        budget.record_key,
        budget.source_file,
        budget.row_number,
        budget.extracted_on,
        budget.batch_id
    from {{ ref('fct_budget_basis') }} as budget
    inner join quarters
        on quarters.tahun = budget.tahun
        and quarters.triwulan = budget.triwulan
    inner join {{ ref('indikator') }} as indikator
        on indikator.kode_program = budget.kode_program
        and indikator.metode = 'serapan'
    where budget.pagu is not null or budget.realisasi is not null
),

-- a manual indicator: the figure delivered for its quarter
delivered as (
    select
        delivered.kode_indikator,
        quarters.tahun,
        quarters.triwulan,
        quarters.as_of_date,
        delivered.nilai,
        {{ reason('nilai') }} as alasan,
        {{ lineage('delivered') }}
    from quarters
    inner join {{ ref('stg_manual__indikators') }} as delivered
        on delivered.tahun = quarters.tahun
        and delivered.triwulan = quarters.triwulan
    inner join {{ ref('indikator') }} as indikator
        on indikator.kode_indikator = delivered.kode_indikator
        and indikator.metode = 'manual'
),

counted as (
    select *, cast(null as decimal(38, 6)) as nilai from koperasi
    union all
    select *, cast(null as decimal(38, 6)) from umkm
    union all
    select *, cast(null as decimal(38, 6)) from serapan
    union all
    select kode_indikator, tahun, triwulan, as_of_date, null, null, 'indikator', null, alasan,
        record_key, source_file, row_number, extracted_on, batch_id, nilai
    from delivered
)

select
    cast(kode_indikator as {{ dbt.type_string() }}) as kode_indikator,
    cast(tahun as integer) as tahun,
    cast(triwulan as integer) as triwulan,
    cast(as_of_date as date) as as_of_date,
    -- counts and Rp: no more than 2 decimals
    cast(numerator as decimal(18, 2)) as numerator,
    cast(denominator as decimal(18, 2)) as denominator,
    cast(nilai as decimal(38, 6)) as nilai,
    {{ closed_set('kind', basis_kinds()) }} as kind,
    record_key,
    cast(tanggal as date) as tanggal,
    {{ closed_set('alasan', basis_reasons().values()) }} as alasan,
    source_file,
    row_number,
    extracted_on,
    batch_id,
    {{ knowledge_time() }} as known_at
from counted
