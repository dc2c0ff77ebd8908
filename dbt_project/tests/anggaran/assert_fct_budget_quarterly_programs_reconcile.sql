{#- Every quarter, each program's row and its kegiatan rows add up to its sub-activities.
    Returns each program and level that disagrees or is missing. -#}
with program_sums as (
    select
        tahun,
        triwulan,
        kode_program,
        level,
        sum(pagu_murni) as pagu_murni,
        sum(pagu) as pagu,
        sum(realisasi) as realisasi
    from {{ ref('fct_budget_quarterly') }}
    where level in ('sub_kegiatan', 'kegiatan', 'program')
    group by tahun, triwulan, kode_program, level
),

roll_up_levels as (
    select 'kegiatan' as level
    union all select 'program'
),

expected as (
    select
        sub_kegiatans.tahun,
        sub_kegiatans.triwulan,
        sub_kegiatans.kode_program,
        roll_up_levels.level,
        sub_kegiatans.pagu_murni,
        sub_kegiatans.pagu,
        sub_kegiatans.realisasi
    from program_sums as sub_kegiatans
    cross join roll_up_levels
    where sub_kegiatans.level = 'sub_kegiatan'
),

rolled_up as (
    select * from program_sums where level <> 'sub_kegiatan'
)

select
    coalesce(expected.tahun, rolled_up.tahun) as tahun,
    coalesce(expected.triwulan, rolled_up.triwulan) as triwulan,
    coalesce(expected.kode_program, rolled_up.kode_program) as kode_program,
    coalesce(expected.level, rolled_up.level) as level,
    expected.pagu_murni as sub_kegiatan_pagu_murni,
    rolled_up.pagu_murni,
    expected.pagu as sub_kegiatan_pagu,
    rolled_up.pagu,
    expected.realisasi as sub_kegiatan_realisasi,
    rolled_up.realisasi
from expected
full outer join rolled_up
    on rolled_up.tahun = expected.tahun
    and rolled_up.triwulan = expected.triwulan
    and rolled_up.kode_program = expected.kode_program
    and rolled_up.level = expected.level
where expected.level is null
    or rolled_up.level is null
    or rolled_up.pagu_murni <> expected.pagu_murni
    or rolled_up.pagu <> expected.pagu
    or rolled_up.realisasi <> expected.realisasi
