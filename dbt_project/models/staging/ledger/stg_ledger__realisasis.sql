with known as ({{ known_versions(source('ledger', 'realisasi')) }})

select
    no_sp2d,
    tahun_anggaran,
    tanggal_sp2d,
    kode_sub_kegiatan,
    kode_rekening,
    uraian,
    nilai,
    record_key,
    valid_date,
    extracted_on,
    source_file,
    row_number,
    batch_id,
    event_id,
    ingested_at
from known
