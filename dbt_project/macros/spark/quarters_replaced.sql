{#- The config of a mart built incrementally by quarter: each build replaces the rows of the
    quarters it builds (int_quarters). DuckDB deletes them and inserts (delete+insert on tahun and
    triwulan); Spark's Parquet tables cannot delete, and overwrite the partitions of those quarters
    (insert_overwrite, dynamic: the partitions not built stay). A basis mart (`explained`) appends
    after deleting the quarters built (it has rows only for the quarters it explains; on Spark,
    their partitions are dropped: delete_quarters_built). -#}
{% macro quarters_replaced(explained=false) -%}
    {%- set replaced = {'pre_hook': '{{ delete_quarters_built() }}'} if explained else {} -%}
    {%- if target.type == 'spark' -%}
        {%- do replaced.update({'incremental_strategy': 'insert_overwrite', 'partition_by': ['tahun', 'triwulan']}) -%}
    {%- elif explained -%}
        {%- do replaced.update({'incremental_strategy': 'append'}) -%}
    {%- else -%}
        {%- do replaced.update({'incremental_strategy': 'delete+insert', 'unique_key': ['tahun', 'triwulan']}) -%}
    {%- endif -%}
    {{ return(replaced) }}
{%- endmacro %}
