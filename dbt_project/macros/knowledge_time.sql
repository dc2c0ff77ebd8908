{#- Knowledge time K (indicators.md, Time): var `knowledge_time`, or the start of this dbt run (UTC). -#}
{% macro knowledge_time() -%}
    {%- set k = var('knowledge_time') or run_started_at.strftime('%Y-%m-%d %H:%M:%S') -%}
    cast('{{ k }}' as timestamp)
{%- endmacro %}


{#- The version of each record key that wins at K: the latest extraction, then the latest ingested. -#}
{% macro known_versions(relation) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by record_key order by extracted_on desc, batch_id desc
            ) as version_rank
        from {{ relation }}
        where ingested_at <= {{ knowledge_time() }}
    ) as versions
    where version_rank = 1
{%- endmacro %}
