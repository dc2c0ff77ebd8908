{#- Ordered aggregates and struct literals, DuckDB's syntax elsewhere than on Spark (issue 17).
    `order_by`: a list of the columns ordering the values, ascending, nulls last (DuckDB's default).
    Spark's collect_list keeps no order: it sorts structs of the order columns and the value, each
    column after whether it is null (a struct sorts a null field first). dbt's own `listagg` will
    not do: dbt-spark's drops its order_by (with a warning). -#}
{% macro ordered_list(value, order_by) -%}
    {{- return(adapter.dispatch('ordered_list')(value, order_by)) -}}
{%- endmacro %}

{% macro default__ordered_list(value, order_by) -%}
    list({{ value }} order by {{ order_by | join(', ') }})
{%- endmacro %}

{% macro spark__ordered_list(value, order_by) -%}
    transform(array_sort(collect_list(struct(
        {%- for column in order_by %}{{ column }} is null as n{{ loop.index }}, {{ column }} as k{{ loop.index }}, {% endfor %}{{ value }} as v))), x -> x.v)
{%- endmacro %}


{% macro ordered_string_agg(value, delimiter, order_by) -%}
    {{- return(adapter.dispatch('ordered_string_agg')(value, delimiter, order_by)) -}}
{%- endmacro %}

{% macro default__ordered_string_agg(value, delimiter, order_by) -%}
    string_agg({{ value }}, {{ delimiter }} order by {{ order_by | join(', ') }})
{%- endmacro %}

{% macro spark__ordered_string_agg(value, delimiter, order_by) -%}
    array_join({{ spark__ordered_list(value, order_by) }}, {{ delimiter }})
{%- endmacro %}


{#- A struct of the columns, each its own field. -#}
{% macro struct_of(columns) -%}
    {{- return(adapter.dispatch('struct_of')(columns)) -}}
{%- endmacro %}

{% macro default__struct_of(columns) -%}
    { {%- for column in columns %}'{{ column }}': {{ column }}{{ ', ' if not loop.last }}{% endfor -%} }
{%- endmacro %}

{% macro spark__struct_of(columns) -%}
    named_struct({%- for column in columns %}'{{ column }}', {{ column }}{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}
