with known as ({{ known_versions(source('manual', 'indikator')) }})

select
    kode_indikator,
    tahun,
    triwulan,
    nilai,
    sumber,
    event_id,
    ingested_at
from known
