with known as ({{ known_versions(source('ledger', 'realisasi')) }})

select
    no_sp2d,
    tahun_anggaran,
    tanggal_sp2d,
    kode_sub_kegiatan,
    nilai,
    record_key,
    valid_date,
    extracted_on,
    source_file,
    row_number,
    batch_id,
    ingested_at
from known
