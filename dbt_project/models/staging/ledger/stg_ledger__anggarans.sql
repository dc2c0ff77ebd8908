with known as ({{ known_versions(source('ledger', 'anggaran')) }})

select
    tahun_anggaran,
    tahap,
    tanggal_penetapan,
    kode_sub_kegiatan,
    substring(kode_sub_kegiatan, 1, 12) as kode_kegiatan,
    substring(kode_sub_kegiatan, 1, 7) as kode_program,
    nama_program,
    nama_kegiatan,
    nama_sub_kegiatan,
    pagu,
    record_key,
    valid_date,
    extracted_on,
    source_file,
    row_number,
    batch_id,
    ingested_at
from known
