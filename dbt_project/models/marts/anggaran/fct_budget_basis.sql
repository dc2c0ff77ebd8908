{{ config(materialized='incremental', **quarters_replaced(explained=true)) }}

{#- The records behind each sub-activity's budget figures (fct_budget_quarterly) of the quarters
    explained: per quarter, sub-activity and record, what it adds to pagu murni, to the pagu in force
    and to realisasi (null: nothing there) and why. The budget lines are those
    int_sub_kegiatan_budgets_replayed takes (the MURNI version's, the version in force's); the
    payments those it sums. -#}
with budgets as (
    select budgets.*
    from {{ ref('int_sub_kegiatan_budgets_replayed') }} as budgets
    inner join ({{ explained_quarters() }}) as quarters
        on quarters.tahun = budgets.tahun
        and quarters.triwulan = budgets.triwulan
),

budget_lines as (
    select
        budgets.tahun,
        budgets.triwulan,
        budgets.as_of_date,
        budgets.kode_program,
        budgets.kode_kegiatan,
        budgets.kode_sub_kegiatan,
        case when anggaran.tahap = 'MURNI' then anggaran.pagu end as pagu_murni,
        case when anggaran.tahap = budgets.tahap_berlaku then anggaran.pagu end as pagu,
        cast(null as decimal(18, 2)) as realisasi,
        'anggaran' as kind,
        versions.tanggal_efektif as tanggal,
        case
            when anggaran.tahap = 'MURNI' and anggaran.tahap = budgets.tahap_berlaku then {{ reason('pagu_murni_berlaku') }}
            when anggaran.tahap = 'MURNI' then {{ reason('pagu_murni') }}
            else {{ reason('pagu') }}
        end as alasan,
        {{ lineage('anggaran') }}
    from budgets
    inner join {{ ref('stg_ledger__anggarans') }} as anggaran
        on anggaran.tahun_anggaran = budgets.tahun
        and anggaran.kode_sub_kegiatan = budgets.kode_sub_kegiatan
        and (anggaran.tahap = 'MURNI' or anggaran.tahap = budgets.tahap_berlaku)
    inner join {{ ref('int_anggaran_versions') }} as versions
        on versions.tahun_anggaran = anggaran.tahun_anggaran
        and versions.tahap = anggaran.tahap
),

payments as (
    select
        budgets.tahun,
        budgets.triwulan,
        budgets.as_of_date,
        budgets.kode_program,
        budgets.kode_kegiatan,
        budgets.kode_sub_kegiatan,
        cast(null as decimal(18, 2)) as pagu_murni,
        cast(null as decimal(18, 2)) as pagu,
        realisasi.nilai as realisasi,
        'realisasi' as kind,
        realisasi.tanggal_sp2d as tanggal,
        {{ reason('sp2d') }} as alasan,
        {{ lineage('realisasi') }}
    from budgets
    inner join {{ ref('stg_ledger__realisasis') }} as realisasi
        on realisasi.kode_sub_kegiatan = budgets.kode_sub_kegiatan
        and realisasi.tahun_anggaran = budgets.tahun
        and {{ year_to_date('realisasi.tanggal_sp2d', 'budgets') }}
),

records as (
    select * from budget_lines
    union all
    select * from payments
)

select
    tahun,
    triwulan,
    as_of_date,
    kode_program,
    kode_kegiatan,
    kode_sub_kegiatan,
    cast(pagu_murni as decimal(18, 2)) as pagu_murni,
    cast(pagu as decimal(18, 2)) as pagu,
    cast(realisasi as decimal(18, 2)) as realisasi,
    {{ closed_set('kind', basis_kinds()) }} as kind,
    record_key,
    cast(tanggal as date) as tanggal,
    {{ closed_set('alasan', basis_reasons().values()) }} as alasan,
    source_file,
    row_number,
    extracted_on,
    batch_id,
    {{ knowledge_time() }} as known_at
from records
