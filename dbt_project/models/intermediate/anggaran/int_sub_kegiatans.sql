{#- One row per sub-activity and budget year: every sub-activity of any version of the year's budget
    or paid from it, with its kegiatan, program and the names of the latest version listing it. -#}
with budget_lines as (
    select
        anggaran.tahun_anggaran,
        anggaran.kode_sub_kegiatan,
        anggaran.kode_kegiatan,
        anggaran.kode_program,
        anggaran.nama_program,
        anggaran.nama_kegiatan,
        anggaran.nama_sub_kegiatan,
        row_number() over (
            partition by anggaran.tahun_anggaran, anggaran.kode_sub_kegiatan
            order by versions.urutan_versi desc
        ) as version_recency
    from {{ ref('stg_ledger__anggarans') }} as anggaran
    inner join {{ ref('int_anggaran_versions') }} as versions
        on anggaran.tahun_anggaran = versions.tahun_anggaran
        and anggaran.tahap = versions.tahap
),

latest_budget_lines as (
    select * from budget_lines where version_recency = 1
),

paid_sub_kegiatans as (
    select distinct tahun_anggaran, kode_sub_kegiatan
    from {{ ref('stg_ledger__realisasis') }}
),

sub_kegiatans as (
    select tahun_anggaran, kode_sub_kegiatan from latest_budget_lines
    union
    select tahun_anggaran, kode_sub_kegiatan from paid_sub_kegiatans
)

select
    cast(sub_kegiatans.tahun_anggaran as integer) as tahun_anggaran,
    sub_kegiatans.kode_sub_kegiatan,
    -- ingestion rejects a payment to a sub-activity no version lists; the codes hold regardless
    coalesce(budget.kode_kegiatan, substring(sub_kegiatans.kode_sub_kegiatan, 1, 12)) as kode_kegiatan,
    coalesce(budget.kode_program, substring(sub_kegiatans.kode_sub_kegiatan, 1, 7)) as kode_program,
    budget.nama_program,
    budget.nama_kegiatan,
    budget.nama_sub_kegiatan
from sub_kegiatans
left join latest_budget_lines as budget
    on sub_kegiatans.tahun_anggaran = budget.tahun_anggaran
    and sub_kegiatans.kode_sub_kegiatan = budget.kode_sub_kegiatan
