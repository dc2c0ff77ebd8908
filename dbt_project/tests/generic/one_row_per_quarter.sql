{#- Exactly one row per (key, quarter built) for every key of `keys` (a relation, optionally
    filtered by `keys_where`): none missing, none doubled. -#}
{% test one_row_per_quarter(model, key, keys, keys_where='1 = 1') %}
with expected as (
    select expected_keys.{{ key }}, quarters.tahun, quarters.triwulan
    from {{ ref('int_quarters') }} as quarters
    cross join {{ keys }} as expected_keys
    where {{ keys_where }}
)

select expected.{{ key }}, expected.tahun, expected.triwulan, count(built.{{ key }}) as rows_per_key
from expected
left join {{ model }} as built
    on built.{{ key }} = expected.{{ key }}
    and built.tahun = expected.tahun
    and built.triwulan = expected.triwulan
group by expected.{{ key }}, expected.tahun, expected.triwulan
having count(built.{{ key }}) <> 1
{% endtest %}
