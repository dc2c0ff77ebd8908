{#- A model's rows as its yml describes them, in one query (dbt runs each test as a node of its own,
    some 30 to 50 ms apiece however small the table):
    - grain: [columns], no two rows share their values;
    - not_null: [columns], none holds a null;
    - not_null_where: {column: condition}, no null where the condition holds;
    - values: {column: [allowed, ...]}, the column's values come from the list (a null is not_null's);
    - references: {column: ref(...)}, each value is one of the same column of the relation;
    - per_quarter: {key: column, keys: ref(...), keys_where: condition}, exactly one row per key of
      the relation (where the condition holds) and quarter built (int_quarters).
    Returns a row per rule broken: the rule, its column(s), an offending value, the rows breaking it.
    What the quality gate's suites check (expectations/suites/) is not repeated here. -#}
{% test well_formed(model, grain=none, not_null=none, not_null_where=none, values=none, references=none,
                    per_quarter=none) %}
{%- set text = dbt.type_string() -%}
{%- set breaks = [] -%}

{%- for column in not_null or [] -%}
    {%- set branch -%}
select 'not_null' as rule, '{{ column }}' as column_names, cast(null as {{ text }}) as value,
    not_null__{{ column }} as breaking_rows
from column_counts
where not_null__{{ column }} > 0
    {%- endset -%}
    {%- do breaks.append(branch) -%}
{%- endfor -%}

{%- for column in (not_null_where or {}).keys() -%}
    {%- set branch -%}
select 'not_null_where', '{{ column }}', null, not_null_where__{{ column }}
from column_counts
where not_null_where__{{ column }} > 0
    {%- endset -%}
    {%- do breaks.append(branch) -%}
{%- endfor -%}

{%- for column in (values or {}).keys() -%}
    {%- set branch -%}
select 'values', '{{ column }}', null, values__{{ column }}
from column_counts
where values__{{ column }} > 0
    {%- endset -%}
    {%- do breaks.append(branch) -%}
{%- endfor -%}

{%- if grain -%}
    {%- set branch -%}
select 'grain', '{{ grain | join(", ") }}', cast({{ grain[0] }} as {{ text }}), count(*)
from {{ model }}
group by {{ grain | join(", ") }}
having count(*) > 1
    {%- endset -%}
    {%- do breaks.append(branch) -%}
{%- endif -%}

{%- for column, relation in (references or {}).items() -%}
    {%- set branch -%}
select 'references', '{{ column }}', cast(model.{{ column }} as {{ text }}), count(*)
from {{ model }} as model
left join {{ relation }} as referenced
    on referenced.{{ column }} = model.{{ column }}
where model.{{ column }} is not null and referenced.{{ column }} is null
group by model.{{ column }}
    {%- endset -%}
    {%- do breaks.append(branch) -%}
{%- endfor -%}

{%- if per_quarter -%}
    {%- set key = per_quarter['key'] -%}
    {%- set branch -%}
select 'per_quarter', '{{ key }}', cast(expected.{{ key }} as {{ text }}), count(built.{{ key }})
from (
    select expected_keys.{{ key }}, quarters.tahun, quarters.triwulan
    from {{ ref('int_quarters') }} as quarters
    cross join {{ per_quarter['keys'] }} as expected_keys
    where {{ per_quarter.get('keys_where', '1 = 1') }}
) as expected
left join {{ model }} as built
    on built.{{ key }} = expected.{{ key }}
    and built.tahun = expected.tahun
    and built.triwulan = expected.triwulan
group by expected.{{ key }}, expected.tahun, expected.triwulan
having count(built.{{ key }}) <> 1
    {%- endset -%}
    {%- do breaks.append(branch) -%}
{%- endif -%}

{%- if not_null or not_null_where or values %}
-- one scan for the column rules: the rows breaking each
with column_counts as (
    select
    {%- for column in not_null or [] %}
        sum(case when {{ column }} is null then 1 else 0 end) as not_null__{{ column }},
    {%- endfor %}
    {%- for column, condition in (not_null_where or {}).items() %}
        sum(case when {{ column }} is null and ({{ condition }}) then 1 else 0 end) as not_null_where__{{ column }},
    {%- endfor %}
    {%- for column, allowed in (values or {}).items() %}
        sum(case when {{ column }} not in ('{{ allowed | join("', '") }}') then 1 else 0 end) as values__{{ column }},
    {%- endfor %}
        count(*) as all_rows
    from {{ model }}
)
{%- endif %}

{{ breaks | join("\nunion all\n") }}
{% endtest %}
