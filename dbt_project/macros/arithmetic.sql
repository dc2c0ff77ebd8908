{#- Exact decimal arithmetic for the indicator rules: no float between the counts and the rounding. -#}

{#- numerator / denominator, rounded half away from zero to `places` decimals, as an exact DECIMAL;
    null when the denominator is 0 or null. Inputs are decimals with at most 6 places. -#}
{% macro divide_half_up(numerator, denominator, places) -%}
    {%- set n = "cast(cast(" ~ numerator ~ " as decimal(38, 6)) * 1000000 as " ~ kumkm.type_big_integer() ~ ")" -%}
    {%- set d = "cast(cast(" ~ denominator ~ " as decimal(38, 6)) * 1000000 as " ~ kumkm.type_big_integer() ~ ")" -%}
    case when {{ d }} <> 0 then
        cast(
            sign({{ n }}) * sign({{ d }})
            * {{ kumkm.integer_divide("abs(" ~ n ~ ") * " ~ 2 * 10 ** places ~ " + abs(" ~ d ~ ")", "2 * abs(" ~ d ~ ")") }}
            as decimal(38, 0)
        ) * cast({{ 10 ** -places if places else 1 }} as decimal({{ places + 1 }}, {{ places }}))
    end
{%- endmacro %}


{#- numerator / denominator x 100, rounded half away from zero to `places` decimals. -#}
{% macro percent_half_up(numerator, denominator, places) -%}
    {{ kumkm.divide_half_up("(" ~ numerator ~ ") * 100", denominator, places) }}
{%- endmacro %}


{% macro type_big_integer() -%}
    {{ return(adapter.dispatch('type_big_integer', 'kumkm')()) }}
{%- endmacro %}

{% macro default__type_big_integer() -%} decimal(38, 0) {%- endmacro %}

{% macro duckdb__type_big_integer() -%} hugeint {%- endmacro %}


{% macro integer_divide(a, b) -%}
    {{ return(adapter.dispatch('integer_divide', 'kumkm')(a, b)) }}
{%- endmacro %}

{% macro default__integer_divide(a, b) -%} (({{ a }}) div ({{ b }})) {%- endmacro %}

{% macro duckdb__integer_divide(a, b) -%} (({{ a }}) // ({{ b }})) {%- endmacro %}


{#- divide_half_up / percent_half_up with the number of decimals taken from a column (the
    catalogue's `desimal`), 0 to 4. -#}
{% macro divide_half_up_to(numerator, denominator, places_column) -%}
    case {{ places_column }}
    {%- for places in range(5) %}
        {#- one type for every branch, or the database may narrow them all to the scale of the first #}
        when {{ places }} then cast({{ kumkm.divide_half_up(numerator, denominator, places) }} as decimal(24, 4))
    {%- endfor %}
    end
{%- endmacro %}


{% macro percent_half_up_to(numerator, denominator, places_column) -%}
    {{ kumkm.divide_half_up_to("(" ~ numerator ~ ") * 100", denominator, places_column) }}
{%- endmacro %}
