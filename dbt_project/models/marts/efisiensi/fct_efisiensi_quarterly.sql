{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['tahun', 'triwulan']) }}

{#- Realisation per output (Rp per cooperative examined, per UMKM trained, ...) where the activity
    names the sub-activity that paid for it: per quarter, sub-activity and output, the outputs of
    1 Jan N .. D beside the sub-activity's realisation to D. Activities naming no sub-activity make
    rows with a null kode_sub_kegiatan and no realisation. -#}
with quarters as (
    select tahun, triwulan, as_of_date, year_start from {{ ref('int_quarters') }}
),

keluaran_to_date as (
    select
        quarters.tahun,
        quarters.triwulan,
        quarters.as_of_date,
        keluaran.kode_sub_kegiatan,
        keluaran.keluaran,
        keluaran.satuan,
        count(*) as jumlah_kegiatan,
        case max(keluaran.hitungan)
            when 'peserta' then sum(keluaran.jumlah_peserta)
            else count(distinct keluaran.id_penerima)
        end as jumlah_keluaran
    from quarters
    inner join {{ ref('int_keluaran') }} as keluaran
        on keluaran.tanggal between quarters.year_start and quarters.as_of_date
    group by quarters.tahun, quarters.triwulan, quarters.as_of_date, keluaran.kode_sub_kegiatan,
        keluaran.keluaran, keluaran.satuan
)

select
    keluaran_to_date.tahun,
    keluaran_to_date.triwulan,
    keluaran_to_date.as_of_date,
    coalesce(budgets.kode_program, substring(keluaran_to_date.kode_sub_kegiatan, 1, 7)) as kode_program,
    keluaran_to_date.kode_sub_kegiatan,
    budgets.nama_sub_kegiatan,
    cast(keluaran_to_date.keluaran as {{ dbt.type_string() }}) as keluaran,
    cast(keluaran_to_date.satuan as {{ dbt.type_string() }}) as satuan,
    cast(keluaran_to_date.jumlah_kegiatan as integer) as jumlah_kegiatan,
    cast(keluaran_to_date.jumlah_keluaran as integer) as jumlah_keluaran,
    budgets.realisasi,
    cast({{ divide_half_up('budgets.realisasi', 'keluaran_to_date.jumlah_keluaran', 0) }} as decimal(18, 0))
        as biaya_per_keluaran,
    {{ knowledge_time() }} as known_at
from keluaran_to_date
left join {{ ref('int_sub_kegiatan_budgets_replayed') }} as budgets
    on budgets.tahun = keluaran_to_date.tahun
    and budgets.triwulan = keluaran_to_date.triwulan
    and budgets.kode_sub_kegiatan = keluaran_to_date.kode_sub_kegiatan
