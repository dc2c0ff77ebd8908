{#- Whether a record version (int_record_versions_after_publication, int_indicator_input_events)
    feeds the figures of a quarter: a delivered figure (manual/indikator) only its own quarter, any
    other version every quarter ending on or after its valid date (figures are as-of replays). -#}
{% macro feeds_quarter(version, tahun, triwulan, as_of_date) -%}
    (
        ({{ version }}.untuk_tahun = {{ tahun }} and {{ version }}.untuk_triwulan = {{ triwulan }})
        or ({{ version }}.untuk_tahun is null and {{ version }}.valid_date <= {{ as_of_date }})
    )
{%- endmacro %}
