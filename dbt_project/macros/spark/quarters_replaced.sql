{#- The config of a mart built incrementally by quarter: each build replaces the rows of the
    quarters it builds (int_quarters). DuckDB deletes them and inserts (delete+insert on tahun and
    triwulan); Spark's Parquet tables cannot delete, and overwrite the partitions of those quarters
    (insert_overwrite, dynamic: the partitions not built stay). A basis mart (`explained`) appends
    after deleting the quarters built on DuckDB (it has rows only for the quarters it explains):
    on Spark, a quarter built but not explained keeps its earlier rows. -#}
{% macro quarters_replaced(explained=false) -%}
    {%- if target.type == 'spark' -%}
        {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': ['tahun', 'triwulan']}) }}
    {%- endif -%}
    {%- if explained -%}
        {{ return({'incremental_strategy': 'append', 'pre_hook': '{{ delete_quarters_built() }}'}) }}
    {%- endif -%}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': ['tahun', 'triwulan']}) }}
{%- endmacro %}
