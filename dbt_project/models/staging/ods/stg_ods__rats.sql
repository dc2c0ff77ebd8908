with known as ({{ known_versions(source('ods', 'rat')) }})

select
    nik as nik_koperasi,
    tahun_buku,
    kecamatan,
    status_koperasi,
    tanggal_rat,
    valid_date as tanggal_efektif,
    jumlah_pengurus,
    aset,
    volume_usaha,
    record_key,
    valid_date,
    extracted_on,
    source_file,
    row_number,
    batch_id,
    ingested_at
from known
