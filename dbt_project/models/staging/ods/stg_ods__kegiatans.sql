with known as ({{ known_versions(source('ods', 'kegiatan')) }})

select
    id_kegiatan,
    nik as nik_koperasi,
    tanggal,
    jenis,
    hasil,
    jumlah_peserta,
    kode_sub_kegiatan,
    event_id,
    ingested_at
from known
