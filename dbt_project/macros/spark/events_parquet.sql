{#- The event store on each engine: DuckDB attaches events.duckdb as database `events`
    (profiles.yml, the sources' database); Spark (issue 17) has no databases, and reads the tables of the Parquet folders
    of `kumkm export-events` (var events_parquet, default <home>/events_parquet), registered as
    tables of the schemas of the same names on every run (on-run-start `register_events`). -#}
{#- A table of the event store outside source() (what decides how to build, not lineage). -#}
{% macro events_relation(schema, identifier) -%}
    {{- return(api.Relation.create(database='events' if target.type == 'duckdb' else none,
                                   schema=schema, identifier=identifier)) -}}
{%- endmacro %}


{% macro register_events() -%}
    {{- return(adapter.dispatch('register_events')()) -}}
{%- endmacro %}

{% macro default__register_events() -%}
{%- endmacro %}

{#- Dropped and created again, so each run sees the batches exported since (external tables:
    dropping one leaves its files). The tables of var events_parquet_tables ("schema.table", default
    the events, the batches and retractions): a folder missing there fails the run, and dbt's Jinja
    cannot look, so the publish tables (a home that published) must be listed. -#}
{% macro spark__register_events() -%}
    {%- set folder = var('events_parquet') or env_var('KUMKM_HOME', '../.kumkm') ~ '/events_parquet' -%}
    {%- set tables = var('events_parquet_tables') or [
            'ods.rat', 'ods.kegiatan', 'sip3.umkm', 'sip3.pembinaan', 'ledger.anggaran', 'ledger.realisasi',
            'manual.indikator', 'manual.publikasi', 'ingest.batches', 'ingest.retractions'] -%}
    {%- for table in tables %}
        {%- do run_query('create schema if not exists ' ~ table.split('.')[0]) -%}
        {%- do run_query('drop table if exists ' ~ table) -%}
        {%- do run_query('create table ' ~ table ~ " using parquet location '" ~ folder ~ '/' ~ table.replace('.', '/') ~ "'") -%}
        {#- the metastore knows a table's partitions (batch_id=<n> folders) once told -#}
        {%- if not table.startswith('ingest.') %}
            {%- do run_query('repair table ' ~ table) -%}
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
