{#- Knowledge time K (indicators.md, Time): var `knowledge_time`, or the start of this dbt run (UTC). -#}
{% macro knowledge_time() -%}
    {%- set k = var('knowledge_time') or run_started_at.strftime('%Y-%m-%d %H:%M:%S') -%}
    cast('{{ k }}' as timestamp)
{%- endmacro %}


{#- The version of each record key that wins at K: the latest extraction, then the latest ingested,
    among the events ingested by K of the batches not retracted by K (`kumkm retract`).
    Both ranks in one number (a batch is never delivered twice for a record key), so the winner is a
    max per key joined back: cheaper than a window, which sorts every version. The versions of a
    figure's inputs (every kind but the printed reports) are also limited by vars inputs_known_at and
    inputs_extracted_by. -#}
{% macro known_versions(relation, figure_input=true) -%}
    select events.*
    from {{ relation }} as events
    inner join (
        select record_key, max({{ version_rank('extracted_on', 'batch_id') }}) as version_rank
        from {{ relation }}
        where ingested_at <= {{ knowledge_time() }}
            and batch_id not in ({{ retracted_batches() }})
        {%- if figure_input and var('inputs_known_at') %}
            and ingested_at <= cast('{{ var('inputs_known_at') }}' as timestamp)
        {%- endif %}
        {%- if figure_input and var('inputs_extracted_by') %}
            and extracted_on <= cast('{{ var('inputs_extracted_by') }}' as date)
        {%- endif %}
        group by record_key
    ) as versions
        on versions.record_key = events.record_key
        and versions.version_rank = {{ version_rank('events.extracted_on', 'events.batch_id') }}
{%- endmacro %}


{% macro version_rank(extracted_on, batch_id) -%}
    cast({{ dbt.datediff("cast('2000-01-01' as date)", extracted_on, 'day') }} as bigint) * 1000000000 + {{ batch_id }}
{%- endmacro %}


{#- The batches retracted by K. An event store from before retractions has no table of them. -#}
{% macro retracted_batches() -%}
    {%- set retractions = source('ingest', 'retractions') -%}
    {%- if execute and not adapter.get_relation(retractions.database, retractions.schema, retractions.identifier) -%}
        select cast(null as integer) as batch_id where false
    {%- else -%}
        select batch_id from {{ retractions }} where retracted_at <= {{ knowledge_time() }}
    {%- endif -%}
{%- endmacro %}
