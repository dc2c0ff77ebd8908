with known as ({{ known_versions(source('ods', 'rat')) }})

select
    nik as nik_koperasi,
    tahun_buku,
    nama_koperasi,
    jenis_koperasi,
    kecamatan,
    kelurahan,
    status_koperasi,
    tanggal_rat,
    valid_date as tanggal_efektif,
    jumlah_anggota,
    jumlah_pengurus,
    aset,
    volume_usaha,
    shu,
    modal_sendiri,
    modal_luar,
    record_key,
    valid_date,
    extracted_on,
    source_file,
    row_number,
    batch_id,
    event_id,
    ingested_at
from known
