{#- Every record version that wins at K and was ingested after the first publication's knowledge
    time (no other can explain a restatement; none while nothing is published), once per indicator
    computed from its source kind (seed indikator_sumber), with where it came from. A delivered
    figure (manual/indikator) feeds only its own indicator and quarter; any other version feeds
    every quarter ending on or after its valid date (figures are as-of replays). -#}
with first_publication as (
    select min(known_at) as known_at from {{ ref('stg_publish__publications') }}
)

select
    sumber.kode_indikator,
    versions.untuk_tahun,
    versions.untuk_triwulan,
    versions.source,
    versions.kind,
    versions.record_key,
    versions.valid_date,
    versions.extracted_on,
    versions.source_file,
    versions.row_number,
    versions.ingested_at
from {{ ref('int_record_versions_after_publication') }} as versions
inner join first_publication
    on versions.ingested_at > first_publication.known_at
inner join {{ ref('indikator_sumber') }} as sumber
    on sumber.source = versions.source
    and sumber.kind = versions.kind
where versions.untuk_kode_indikator is null or versions.untuk_kode_indikator = sumber.kode_indikator
