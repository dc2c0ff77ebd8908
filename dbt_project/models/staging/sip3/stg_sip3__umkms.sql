{#- Personal data (nama_pemilik, nik_pemilik, no_hp, alamat) stays in the event store. -#}
with known as ({{ known_versions(source('sip3', 'umkm')) }})

select
    id_umkm,
    tanggal_pendataan,
    kecamatan,
    skb,
    tanggal_skb,
    nib,
    tanggal_nib,
    modal_usaha,
    omzet_tahunan,
    informal_pkl = 'Ya' as is_pkl,
    tdu_pkl,
    status_usaha,
    record_key,
    valid_date,
    extracted_on,
    source_file,
    row_number,
    batch_id,
    ingested_at
from known
