with known as ({{ known_versions(source('manual', 'indikator')) }})

select
    kode_indikator,
    tahun,
    triwulan,
    nilai,
    sumber,
    record_key,
    valid_date,
    extracted_on,
    source_file,
    row_number,
    batch_id,
    ingested_at
from known
