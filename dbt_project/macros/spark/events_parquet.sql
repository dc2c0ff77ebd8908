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

{#- The tables of var events_parquet_tables ("schema.table"; default the events, the batches and
    retractions: what ingestion.parquet.exported_tables lists of an export without publications),
    each of its folder. Kept in the metastore from run to run (external tables: dropping one leaves
    its files): created when missing, or again when the folder moved; then a partitioned table
    (batch_id=<n> folders) is told the batches exported since (repair: adds the partitions it does
    not know), a whole-file one to read its file again (refresh). A folder missing fails the run. -#}
{% macro spark__register_events() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set folder = var('events_parquet') or env_var('KUMKM_HOME', '../.kumkm') ~ '/events_parquet' -%}
    {%- set tables = var('events_parquet_tables') -%}
    {%- set schemas = [] -%}
    {%- for table in tables %}
        {%- do schemas.append(table.split('.')[0]) -%}
    {%- endfor %}
    {%- for schema in schemas | unique %}
        {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- endfor %}
    {%- for table in tables %}
        {%- set location = folder ~ '/' ~ table.replace('.', '/') -%}
        {%- set create = 'create table if not exists ' ~ table ~ " using parquet location '" ~ location ~ "'" -%}
        {%- do run_query(create) -%}
        {%- set described = {} -%}
        {%- for name, value, _ in run_query('describe table extended ' ~ table).rows -%}
            {%- do described.update({name: value}) -%}
        {%- endfor -%}
        {%- if described['Location'] not in [location, 'file:' ~ location] %}
            {%- do run_query('drop table ' ~ table) -%}
            {%- do run_query(create) -%}
        {%- endif %}
        {%- if '# Partition Information' in described %}
            {%- do run_query('repair table ' ~ table) -%}
        {%- else %}
            {%- do run_query('refresh table ' ~ table) -%}
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
