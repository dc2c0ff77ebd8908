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
    delete from {{ this }}
    where tahun * 10 + triwulan in (select tahun * 10 + triwulan from {{ ref('int_quarters') }})
    {%- endif -%}
{%- endmacro %}
