{#- Publications known at K. A home where nothing was published yet has no publish tables. -#}
-- depends_on: {{ source('publish', 'publications') }}
{%- set publications = load_relation(events_relation('publish', 'publications')) if execute %}

{% if publications -%}
select publication_id, dokumen, tahun, triwulan, known_at, published_at
from {{ source('publish', 'publications') }}
where published_at <= {{ knowledge_time() }}
{%- else -%}
select
    cast(null as integer) as publication_id,
    cast(null as {{ dbt.type_string() }}) as dokumen,
    cast(null as integer) as tahun,
    cast(null as integer) as triwulan,
    cast(null as timestamp) as known_at,
    cast(null as timestamp) as published_at
where false
{%- endif %}
