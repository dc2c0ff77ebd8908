{#- Knowledge time K (indicators.md, Time): var `knowledge_time`, or the start of this dbt run (UTC). -#}
{% macro knowledge_time() -%}
    {%- set k = var('knowledge_time') or run_started_at.strftime('%Y-%m-%d %H:%M:%S') -%}
    cast('{{ k }}' as timestamp)
{%- endmacro %}


{#- The version of each record key that wins at K: the latest extraction, then the latest ingested,
    among the events ingested by K of the batches not retracted by K (`kumkm retract`).
    Ranked on the few columns the order needs, then joined back by event_id: a window that carries
    every column of a wide event sorts all of them. -#}
{% macro known_versions(relation) -%}
    select events.*
    from {{ relation }} as events
    inner join (
        select
            event_id,
            row_number() over (
                partition by record_key order by extracted_on desc, batch_id desc
            ) as version_rank
        from {{ relation }}
        where ingested_at <= {{ knowledge_time() }}
            and batch_id not in ({{ retracted_batches() }})
    ) as versions
        on versions.event_id = events.event_id
    where versions.version_rank = 1
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
