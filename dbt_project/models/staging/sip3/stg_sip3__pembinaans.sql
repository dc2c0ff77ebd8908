with known as ({{ known_versions(source('sip3', 'pembinaan')) }})

select
    id_pembinaan,
    id_umkm,
    tanggal,
    jenis,
    kode_sub_kegiatan,
    event_id,
    ingested_at
from known
