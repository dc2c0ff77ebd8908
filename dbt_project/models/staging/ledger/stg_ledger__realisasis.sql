with known as ({{ known_versions(source('ledger', 'realisasi')) }})

select
    no_sp2d,
    tahun_anggaran,
    tanggal_sp2d,
    kode_sub_kegiatan,
    kode_rekening,
    uraian,
    nilai,
    event_id,
    ingested_at
from known
