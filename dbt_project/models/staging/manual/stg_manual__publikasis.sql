with known as ({{ known_versions(source('manual', 'publikasi'), figure_input=false) }})

select
    dokumen,
    tanggal_terbit,
    tabel,
    kode,
    tahun,
    triwulan,
    nilai,
    capaian,
    pagu,
    realisasi,
    serapan,
    record_key,
    extracted_on,
    batch_id,
    ingested_at
from known
