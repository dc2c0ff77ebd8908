{#- The config of a mart built incrementally by quarter: each build replaces the rows of the
    quarters it builds (int_quarters). DuckDB deletes them and inserts (delete+insert on tahun and
    triwulan); Spark's Parquet tables cannot delete, and overwrite the partitions of those quarters
    (insert_overwrite, dynamic: the partitions not built stay). -#}
{% macro quarters_replaced() -%}
    {%- if target.type == 'spark' -%}
        {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': ['tahun', 'triwulan']}) }}
    {%- endif -%}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': ['tahun', 'triwulan']}) }}
{%- endmacro %}
