{#- A day in the year to date of a quarter end D (indicators.md, Time): 1 Jan N .. D, for a relation
    of int_quarters. Written as an equality on the year, which joins by hash. -#}
{% macro year_to_date(day, quarters) -%}
    cast(extract(year from {{ day }}) as integer) = {{ quarters }}.tahun and {{ day }} <= {{ quarters }}.as_of_date
{%- endmacro %}


{#- A day in the same period last year: 1 Jan N-1 .. the same day a year before D. -#}
{% macro same_period_last_year(day, quarters) -%}
    cast(extract(year from {{ day }}) as integer) = {{ quarters }}.tahun - 1
        and {{ day }} <= {{ quarters }}.previous_year_as_of_date
{%- endmacro %}
