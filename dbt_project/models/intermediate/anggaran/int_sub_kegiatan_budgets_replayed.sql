{#- One row per quarter end D of year N and sub-activity of year N: pagu murni, pagu in force on D
    and realisasi 1 Jan N .. D (indicators.md, Budget). -#}
with quarters as (
    select tahun, triwulan, as_of_date, year_start from {{ ref('int_quarters') }}
),

versions as (
    select * from {{ ref('int_anggaran_versions') }}
),

-- a version is the complete budget: a sub-activity it does not list has pagu 0 in it
budget_lines as (
    select
        anggaran.tahun_anggaran,
        anggaran.tahap,
        versions.urutan_versi,
        anggaran.kode_sub_kegiatan,
        anggaran.pagu
    from {{ ref('stg_ledger__anggarans') }} as anggaran
    inner join versions
        on anggaran.tahun_anggaran = versions.tahun_anggaran
        and anggaran.tahap = versions.tahap
),

version_in_force as (
    select
        quarters.tahun,
        quarters.triwulan,
        max(versions.urutan_versi) as urutan_versi
    from quarters
    inner join versions
        on versions.tahun_anggaran = quarters.tahun
        and versions.tanggal_efektif <= quarters.as_of_date
    group by quarters.tahun, quarters.triwulan
),

realisasi_to_date as (
    select
        quarters.tahun,
        quarters.triwulan,
        payments.kode_sub_kegiatan,
        sum(payments.nilai) as realisasi
    from quarters
    inner join {{ ref('stg_ledger__realisasis') }} as payments
        on payments.tahun_anggaran = quarters.tahun
        and {{ year_to_date('payments.tanggal_sp2d', 'quarters') }}
    group by quarters.tahun, quarters.triwulan, payments.kode_sub_kegiatan
)

select
    quarters.tahun,
    quarters.triwulan,
    quarters.as_of_date,
    sub_kegiatans.kode_program,
    sub_kegiatans.kode_kegiatan,
    sub_kegiatans.kode_sub_kegiatan,
    sub_kegiatans.nama_program,
    sub_kegiatans.nama_kegiatan,
    sub_kegiatans.nama_sub_kegiatan,
    cast(coalesce(murni.pagu, 0) as decimal(18, 2)) as pagu_murni,
    cast(coalesce(in_force.pagu, 0) as decimal(18, 2)) as pagu,
    cast(coalesce(realisasi_to_date.realisasi, 0) as decimal(18, 2)) as realisasi,
    -- the version whose line gives the pagu in force (null: none lists the sub-activity yet)
    in_force.tahap as tahap_berlaku
from quarters
inner join {{ ref('int_sub_kegiatans') }} as sub_kegiatans
    on sub_kegiatans.tahun_anggaran = quarters.tahun
left join budget_lines as murni
    on murni.tahun_anggaran = sub_kegiatans.tahun_anggaran
    and murni.kode_sub_kegiatan = sub_kegiatans.kode_sub_kegiatan
    and murni.tahap = 'MURNI'
left join version_in_force
    on version_in_force.tahun = quarters.tahun
    and version_in_force.triwulan = quarters.triwulan
left join budget_lines as in_force
    on in_force.tahun_anggaran = sub_kegiatans.tahun_anggaran
    and in_force.kode_sub_kegiatan = sub_kegiatans.kode_sub_kegiatan
    and in_force.urutan_versi = version_in_force.urutan_versi
left join realisasi_to_date
    on realisasi_to_date.tahun = quarters.tahun
    and realisasi_to_date.triwulan = quarters.triwulan
    and realisasi_to_date.kode_sub_kegiatan = sub_kegiatans.kode_sub_kegiatan
