{#- The warehouse's figures as known when their printed report was issued, where kumkm computed them
    in a scratch build (kumkm/audit.py). A transform database where none was needed yet has no table. -#}
-- depends_on: {{ source('terbit', 'angka') }}
{%- set angka = adapter.get_relation(database=target.database, schema='terbit', identifier='angka') if execute %}
{%- set columns = [('dokumen', dbt.type_string()), ('tabel', dbt.type_string()), ('kode', dbt.type_string()), ('tahun', 'integer'),
                   ('triwulan', 'integer'), ('angka', dbt.type_string()), ('tanggal_terbit', 'date'),
                   ('publication_id', 'integer'), ('dihitung', 'decimal(24, 6)')] %}

select
{%- for name, type in columns %}
    {{ 'cast(null as ' ~ type ~ ') as ' if not angka }}{{ name }}{{ ',' if not loop.last }}
{%- endfor %}
{% if angka -%}
from {{ source('terbit', 'angka') }}
{%- else -%}
where false
{%- endif %}
