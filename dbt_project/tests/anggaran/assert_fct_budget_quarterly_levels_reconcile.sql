{#- Every quarter, the kegiatan, program and total rows add up to the same pagu murni, pagu and
    realisasi as the sub-activities. Returns each level that disagrees or is missing. -#}
with level_sums as (
    select
        tahun,
        triwulan,
        level,
        sum(pagu_murni) as pagu_murni,
        sum(pagu) as pagu,
        sum(realisasi) as realisasi
    from {{ ref('fct_budget_quarterly') }}
    where level in ('sub_kegiatan', 'kegiatan', 'program', 'total')
    group by tahun, triwulan, level
),

roll_up_levels as (
    select 'kegiatan' as level
    union all select 'program'
    union all select 'total'
),

expected as (
    select
        sub_kegiatans.tahun,
        sub_kegiatans.triwulan,
        roll_up_levels.level,
        sub_kegiatans.pagu_murni,
        sub_kegiatans.pagu,
        sub_kegiatans.realisasi
    from level_sums as sub_kegiatans
    cross join roll_up_levels
    where sub_kegiatans.level = 'sub_kegiatan'
),

rolled_up as (
    select * from level_sums where level <> 'sub_kegiatan'
)

select
    coalesce(expected.tahun, rolled_up.tahun) as tahun,
    coalesce(expected.triwulan, rolled_up.triwulan) as triwulan,
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
    and rolled_up.level = expected.level
where expected.level is null
    or rolled_up.level is null
    or rolled_up.pagu_murni <> expected.pagu_murni
    or rolled_up.pagu <> expected.pagu
    or rolled_up.realisasi <> expected.realisasi
