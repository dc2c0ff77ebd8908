{#- Knowledge time K (indicators.md, Time): var `knowledge_time`, or the start of this dbt run (UTC). -#}
{% macro knowledge_time() -%}
    {%- set k = var('knowledge_time') or run_started_at.strftime('%Y-%m-%d %H:%M:%S') -%}
    cast('{{ k }}' as timestamp)
{%- endmacro %}


{#- The version of each record key that wins at K: the latest extraction, then the latest ingested.
    Ranked on the few columns the order needs, then joined back by event_id: a window that carries
    every column of a wide event sorts all of them. The versions of a figure's inputs (every kind but
    the printed reports) are also limited by vars inputs_known_at and inputs_extracted_by. -#}
{% macro known_versions(relation, figure_input=true) -%}
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
        {%- if figure_input and var('inputs_known_at') %}
            and ingested_at <= cast('{{ var('inputs_known_at') }}' as timestamp)
        {%- endif %}
        {%- if figure_input and var('inputs_extracted_by') %}
            and extracted_on <= cast('{{ var('inputs_extracted_by') }}' as date)
        {%- endif %}
    ) as versions
        on versions.event_id = events.event_id
    where versions.version_rank = 1
{%- endmacro %}
