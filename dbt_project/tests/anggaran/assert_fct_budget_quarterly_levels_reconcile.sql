{#- Every quarter, each program's row and its kegiatan rows add up to its sub-activities, and the
    total row to all of them. Returns each part and level that disagrees or is missing. -#}
with level_sums as (
    select
        tahun,
        triwulan,
        coalesce(kode_program, kode) as bagian,  -- the program, or '2.17' for the total row
        level,
        sum(pagu_murni) as pagu_murni,
        sum(pagu) as pagu,
        sum(realisasi) as realisasi
    from {{ ref('fct_budget_quarterly') }}
    where level in ('sub_kegiatan', 'kegiatan', 'program', 'total')
    group by tahun, triwulan, coalesce(kode_program, kode), level
),

sub_kegiatans as (
    select * from level_sums where level = 'sub_kegiatan'
),

expected as (
    select tahun, triwulan, bagian, 'kegiatan' as level, pagu_murni, pagu, realisasi from sub_kegiatans
    union all
    select tahun, triwulan, bagian, 'program', pagu_murni, pagu, realisasi from sub_kegiatans
    union all
    select tahun, triwulan, '2.17', 'total', sum(pagu_murni), sum(pagu), sum(realisasi)
    from sub_kegiatans
    group by tahun, triwulan
),

rolled_up as (
    select * from level_sums where level <> 'sub_kegiatan'
)

select
    coalesce(expected.tahun, rolled_up.tahun) as tahun,
    coalesce(expected.triwulan, rolled_up.triwulan) as triwulan,
    coalesce(expected.bagian, rolled_up.bagian) as bagian,
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
    and rolled_up.bagian = expected.bagian
    and rolled_up.level = expected.level
where expected.level is null
    or rolled_up.level is null
    or rolled_up.pagu_murni <> expected.pagu_murni
    or rolled_up.pagu <> expected.pagu
    or rolled_up.realisasi <> expected.realisasi
