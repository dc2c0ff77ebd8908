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


{#- Whether a printed figure (`angka`: nilai, capaian, pagu, realisasi, serapan) agrees with a
    warehouse figure: Rp amounts exactly, values and percentages as agrees_as_printed says; a figure
    the warehouse does not have never agrees. -#}
{% macro printed_agrees(angka, printed, computed) -%}
    case
        when {{ computed }} is null then false
        when {{ angka }} in ('pagu', 'realisasi') then {{ printed }} = {{ computed }}
        else {{ agrees_as_printed(printed, computed) }}
    end
{%- endmacro %}
