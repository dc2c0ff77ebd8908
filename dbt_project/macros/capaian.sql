{#- Achievement (indicators.md): from the rounded value and the target, half-up to 2 decimals. -#}
{% macro capaian(nilai, target, higher_is_better) -%}
    case
        when {{ higher_is_better }} then {{ kumkm.percent_half_up(nilai, target, 2) }}
        else {{ kumkm.percent_half_up("2 * (" ~ target ~ ") - (" ~ nilai ~ ")", target, 2) }}
    end
{%- endmacro %}


{% macro predikat(capaian) -%}
    case
        when {{ capaian }} is null then null
        when {{ capaian }} > 100 then 'SB'
        when {{ capaian }} > 80 then 'B'
        when {{ capaian }} > 55 then 'C'
        else 'K'
    end
{%- endmacro %}
