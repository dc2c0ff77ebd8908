{{ config(materialized='incremental', **quarters_replaced()) }}

{#- Realisation per output (Rp per cooperative examined, per UMKM trained, ...) where the activity
    names the sub-activity that paid for it: per quarter, sub-activity and output, the outputs of
    1 Jan N .. D beside the sub-activity's realisation to D. Activities naming no sub-activity make
    rows with a null kode_sub_kegiatan and no realisation. -#}
with quarters as (
    select tahun, triwulan, as_of_date from {{ ref('int_quarters') }}
),

keluaran as (
    select
        cast(extract(year from tanggal) as integer) as tahun,
        cast(extract(quarter from tanggal) as integer) as triwulan,
        kode_sub_kegiatan,
        keluaran,
        satuan,
        hitungan,
        id_penerima,
        jumlah_peserta
    from {{ ref('int_keluaran') }}
),

-- Per year, sub-activity and output, what each quarter adds to the year to date: its activities and
-- participants, and the recipients served for the first time in the year (so that the distinct
-- recipients to D are a sum over the quarters to D, not a distinct count over every activity to D).
per_triwulan as (
    select
        tahun,
        triwulan,
        kode_sub_kegiatan,
        keluaran,
        satuan,
        max(hitungan) as hitungan,
        count(*) as kegiatan,
        sum(jumlah_peserta) as peserta,
        cast(null as bigint) as penerima_baru
    from keluaran
    group by tahun, triwulan, kode_sub_kegiatan, keluaran, satuan
    union all
    select tahun, min(triwulan), kode_sub_kegiatan, keluaran, satuan, null, null, null, 1
    from keluaran
    where id_penerima is not null
    group by tahun, kode_sub_kegiatan, keluaran, satuan, id_penerima
),

keluaran_to_date as (
    select
        quarters.tahun,
        quarters.triwulan,
        quarters.as_of_date,
        per_triwulan.kode_sub_kegiatan,
        per_triwulan.keluaran,
        per_triwulan.satuan,
        sum(per_triwulan.kegiatan) as jumlah_kegiatan,
        case max(per_triwulan.hitungan)
            when 'peserta' then sum(per_triwulan.peserta)
            else coalesce(sum(per_triwulan.penerima_baru), 0)
        end as jumlah_keluaran
    from quarters
    inner join per_triwulan
        on per_triwulan.tahun = quarters.tahun
        and per_triwulan.triwulan <= quarters.triwulan
    group by quarters.tahun, quarters.triwulan, quarters.as_of_date, per_triwulan.kode_sub_kegiatan,
        per_triwulan.keluaran, per_triwulan.satuan
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
