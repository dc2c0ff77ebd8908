{#- The published figures, one row per publication and indicator (publications filtered to K in
    stg_publish__publications). A home where nothing was published yet has no publish tables. -#}
-- depends_on: {{ source('publish', 'figures') }}
{%- set figures = load_relation(events_relation('publish', 'figures')) if execute %}
{%- set columns = [('publication_id', 'integer'), ('kode_indikator', dbt.type_string()), ('nama_indikator', dbt.type_string()),
                   ('level', dbt.type_string()), ('kode_program', dbt.type_string()), ('tahun', 'integer'),
                   ('triwulan', 'integer'), ('as_of_date', 'date'), ('numerator', 'decimal(38, 6)'),
                   ('denominator', 'decimal(38, 6)'), ('nilai', 'decimal(38, 10)'),
                   ('nilai_dibulatkan', 'decimal(24, 4)'), ('satuan', dbt.type_string()), ('target', 'decimal(18, 4)'),
                   ('capaian_pct', 'decimal(10, 2)'), ('predikat', dbt.type_string())] %}

select
{%- for name, type in columns %}
    {{ 'cast(null as ' ~ type ~ ') as ' if not figures }}{{ name }}{{ ',' if not loop.last }}
{%- endfor %}
{% if figures -%}
from {{ source('publish', 'figures') }}
{%- else -%}
where false
{%- endif %}
