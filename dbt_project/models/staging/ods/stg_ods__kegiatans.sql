with known as ({{ known_versions(source('ods', 'kegiatan')) }})

select
    id_kegiatan,
    nik as nik_koperasi,
    tanggal,
    jenis,
    hasil,
    jumlah_peserta,
    kode_sub_kegiatan,
    record_key,
    valid_date,
    extracted_on,
    source_file,
    row_number,
    batch_id,
    ingested_at
from known
