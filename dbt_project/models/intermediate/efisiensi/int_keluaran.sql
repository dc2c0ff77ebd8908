{{ config(materialized='view') }}

{#- One row per activity with a cooperative (ods kegiatan) or a business (sip3 pembinaan) as known
    at K: the output it produced (seed keluaran) and the sub-activity that paid for it, when named.
    A view: fct_efisiensi_quarterly reads it once, and writing its rows costs more than reading
    staging again. -#}
with kegiatan as (
    select
        'ods' as sumber,
        id_kegiatan as id_aktivitas,
        jenis,
        nik_koperasi as id_penerima,
        jumlah_peserta,
        tanggal,
        kode_sub_kegiatan
    from {{ ref('stg_ods__kegiatans') }}
    union all
    select
        'sip3',
        id_pembinaan,
        jenis,
        id_umkm,
        cast(null as bigint),
        tanggal,
        kode_sub_kegiatan
    from {{ ref('stg_sip3__pembinaans') }}
)

select
    kegiatan.sumber,
    kegiatan.id_aktivitas,
    kegiatan.jenis,
    kegiatan.id_penerima,
    kegiatan.jumlah_peserta,
    kegiatan.tanggal,
    kegiatan.kode_sub_kegiatan,
    keluaran.keluaran,
    keluaran.satuan,
    keluaran.hitungan
from kegiatan
left join {{ ref('keluaran') }} as keluaran
    on keluaran.sumber = kegiatan.sumber
    and keluaran.jenis = kegiatan.jenis
