{#- The lineage of a record's winning version at K, from a staging model's alias. -#}
{% macro lineage(relation) -%}
    {{ relation }}.record_key,
    {{ relation }}.source_file,
    {{ relation }}.row_number,
    {{ relation }}.extracted_on,
    {{ relation }}.batch_id
{%- endmacro %}


{#- pre_hook of an incremental basis mart: the quarters this build computes lose their rows first,
    so that a quarter built without its basis this time keeps no basis of an older build. -#}
{% macro delete_quarters_built() -%}
    {%- if is_incremental() -%}
    {{- adapter.dispatch('delete_quarters_built')() -}}
    {%- endif -%}
{%- endmacro %}

{% macro default__delete_quarters_built() -%}
    delete from {{ this }}
    where tahun * 10 + triwulan in (select tahun * 10 + triwulan from {{ ref('int_quarters') }})
{%- endmacro %}

{#- Spark's Parquet tables cannot delete: the partitions of the quarters built are dropped (one
    statement; none when no quarter is built). -#}
{% macro spark__delete_quarters_built() -%}
    {%- set quarters = run_query('select tahun, triwulan from ' ~ ref('int_quarters')).rows if execute else [] -%}
    {%- if quarters | length -%}
    alter table {{ this }} drop if exists
        {%- for tahun, triwulan in quarters %} partition (tahun = {{ tahun }}, triwulan = {{ triwulan }}){{ ',' if not loop.last }}{% endfor %}
    {%- endif -%}
{%- endmacro %}
