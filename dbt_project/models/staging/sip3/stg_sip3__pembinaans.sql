with known as ({{ known_versions(source('sip3', 'pembinaan')) }})

select
    id_pembinaan,
    id_umkm,
    tanggal,
    jenis,
    kode_sub_kegiatan,
    record_key,
    valid_date,
    extracted_on,
    source_file,
    row_number,
    batch_id,
    ingested_at
from known
