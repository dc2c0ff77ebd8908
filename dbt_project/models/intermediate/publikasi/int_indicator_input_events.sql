{#- Every record version that wins at K and was ingested after the first publication's knowledge
    time (no other can explain a restatement; none while nothing is published), once per indicator
    computed from its source kind (seed indikator_sumber), with where it came from. A delivered figure (manual/indikator) feeds
    only its own indicator and quarter; any other event feeds every quarter ending on or after its
    valid date (figures are as-of replays). -#}
{%- set kinds = [('ods', 'rat', 'stg_ods__rats'), ('ods', 'kegiatan', 'stg_ods__kegiatans'),
                 ('sip3', 'umkm', 'stg_sip3__umkms'), ('sip3', 'pembinaan', 'stg_sip3__pembinaans'),
                 ('ledger', 'anggaran', 'stg_ledger__anggarans'),
                 ('ledger', 'realisasi', 'stg_ledger__realisasis'),
                 ('manual', 'indikator', 'stg_manual__indikators')] %}

with first_publication as (
    select min(known_at) as known_at from {{ ref('stg_publish__publications') }}
),

events as (
    {%- for source, kind, model in kinds %}
    select
        '{{ source }}' as source,
        '{{ kind }}' as kind,
        {%- if kind == 'indikator' %}
        kode_indikator,
        tahun,
        triwulan,
        {%- else %}
        cast(null as varchar) as kode_indikator,
        cast(null as integer) as tahun,
        cast(null as integer) as triwulan,
        {%- endif %}
        event_id,
        record_key,
        valid_date,
        extracted_on,
        source_file,
        row_number,
        ingested_at
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select
    sumber.kode_indikator,
    events.tahun as untuk_tahun,
    events.triwulan as untuk_triwulan,
    events.source,
    events.kind,
    events.event_id,
    events.record_key,
    events.valid_date,
    events.extracted_on,
    events.source_file,
    events.row_number,
    events.ingested_at
from events
inner join first_publication
    on events.ingested_at > first_publication.known_at
inner join {{ ref('indikator_sumber') }} as sumber
    on sumber.source = events.source
    and sumber.kind = events.kind
where events.kode_indikator is null or events.kode_indikator = sumber.kode_indikator
