{#- Whether a printed figure agrees with the warehouse's: at the number of decimals printed (up to
    6, trailing zeros not counted), it equals the warehouse's figure rounded half-up, or one unit
    below it, as a report that cuts off instead of rounding prints it (13.985 as 13.98). -#}
{% macro agrees_as_printed(printed, computed) -%}
    case
    {%- for places in range(6) %}
        when {{ printed }} = round({{ printed }}, {{ places }}) then
            {{ printed }} in (round({{ computed }}, {{ places }}),
                              round({{ computed }}, {{ places }}) - {{ "1" if places == 0 else "0." ~ "0" * (places - 1) ~ "1" }})
    {%- endfor %}
        else {{ printed }} = {{ computed }}
    end
{%- endmacro %}
