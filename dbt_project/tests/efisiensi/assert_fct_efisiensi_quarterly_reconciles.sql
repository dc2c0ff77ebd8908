{#- In Dagster, a check on fct_efisiensi_quarterly. -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_efisiensi_quarterly'}}}) }}
{#- Every row's realisation is its sub-activity's in fct_budget_quarterly, and per quarter the
    activities counted are every activity of the year to date in int_keluaran. Returns what disagrees. -#}
with efisiensi as (
    select * from {{ ref('fct_efisiensi_quarterly') }}
),

realisasi_berbeda as (
    select efisiensi.tahun, efisiensi.triwulan, efisiensi.kode_sub_kegiatan, 'realisasi' as beda
    from efisiensi
    left join {{ ref('fct_budget_quarterly') }} as budget
        on budget.level = 'sub_kegiatan'
        and budget.kode = efisiensi.kode_sub_kegiatan
        and budget.tahun = efisiensi.tahun
        and budget.triwulan = efisiensi.triwulan
    where efisiensi.realisasi is distinct from budget.realisasi
),

kegiatan_per_hari as (
    select tanggal, count(id_aktivitas) as jumlah_kegiatan
    from {{ ref('int_keluaran') }}
    group by tanggal
),

kegiatan_per_quarter as (
    select quarters.tahun, quarters.triwulan, coalesce(sum(per_hari.jumlah_kegiatan), 0) as jumlah_kegiatan
    from {{ ref('int_quarters') }} as quarters
    left join kegiatan_per_hari as per_hari
        on per_hari.tanggal between quarters.year_start and quarters.as_of_date
    group by quarters.tahun, quarters.triwulan
),

kegiatan_berbeda as (
    select kegiatan_per_quarter.tahun, kegiatan_per_quarter.triwulan, null as kode_sub_kegiatan,
        'jumlah_kegiatan' as beda
    from kegiatan_per_quarter
    left join (
        select tahun, triwulan, sum(jumlah_kegiatan) as jumlah_kegiatan
        from efisiensi
        group by tahun, triwulan
    ) as counted
        on counted.tahun = kegiatan_per_quarter.tahun
        and counted.triwulan = kegiatan_per_quarter.triwulan
    where coalesce(counted.jumlah_kegiatan, 0) <> kegiatan_per_quarter.jumlah_kegiatan
)

select * from realisasi_berbeda
union all
select * from kegiatan_berbeda
