{#- Incremental builds by batch watermark: the models that keep one row per record of the events
    (the staging models of the events, int_umkm_pendataan; meta `batch_watermark: true`) are
    built on from their last build, recomputing only the records of the events ingested since, as
    the watermark of that build tells them: the highest batch_id and ingested_at of the rows it
    read (`since_watermark`). The watermark of every such model is a row of
    `<its schema>.batch_watermarks`, written by its post-hook (`remember_watermark`) in the
    transaction that builds the table.

    A build continues the last one only when it computes the same thing from more events: the
    same project, vars inputs_known_at and inputs_extracted_by and event store (`built_with`), a
    knowledge time K no earlier than the last build's, and no retraction since then. Any other
    build (the first, a scratch one, `--full-refresh`, an earlier K, a retraction, a changed
    model) is a full refresh of the model: `should_full_refresh` below, which dbt's incremental
    materialization and is_incremental() ask. -#}

{#- dbt's own, and true for a model built by batch watermark whose last build this one does not continue. -#}
{% macro should_full_refresh() %}
    {%- set configured = config.get('full_refresh') -%}
    {%- if configured is none -%}
        {%- set configured = flags.FULL_REFRESH -%}
    {%- endif -%}
    {%- if not configured and model.config.get('meta', {}).get('batch_watermark') -%}
        {%- set configured = watermark() is none -%}
    {%- endif -%}
    {{ return(configured) }}
{% endmacro %}


{% macro watermarks_relation() -%}
    {{ return(api.Relation.create(database=this.database, schema=this.schema, identifier='batch_watermarks')) }}
{%- endmacro %}


{#- (last_batch, last_ingested_at) of this model's last build when this build continues it, else none. -#}
{% macro watermark() %}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set watermarks = watermarks_relation() -%}
    {%- if not adapter.get_relation(watermarks.database, watermarks.schema, watermarks.identifier) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        "select last_batch, last_ingested_at from " ~ watermarks ~ " as built"
        ~ " where model = '" ~ this.identifier ~ "' and built_with = " ~ built_with()
        ~ " and knowledge_time <= " ~ knowledge_time()
        ~ " and not exists (select 1 from (" ~ retractions() ~ ") as retracted"
        ~ " where retracted.retracted_at > built.knowledge_time and retracted.retracted_at <= " ~ knowledge_time() ~ ")") -%}
    {{ return(found.rows[0] if found.rows | length else none) }}
{% endmacro %}


{#- The rows of a relation (with batch_id and ingested_at) that the build of watermark `mark` did not
    read: those of a batch after it, or ingested after it (as known at a later K). -#}
{% macro since_watermark(mark, alias=none) -%}
    {%- set last_batch, last_ingested_at = mark -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    ({{ prefix }}batch_id > {{ last_batch }} or {{ prefix }}ingested_at > cast('{{ last_ingested_at }}' as timestamp))
{%- endmacro %}


{#- What a build computes its rows from besides the events: the project's digest (var
    project_digest, from kumkm.warehouse), the vars limiting the figures' inputs, and the event
    store itself, told by when its first batch started (a store made again numbers its batches
    from 1 again). The batch registry decides how to build and gives no row: it is no source of the
    models (none of their lineage). -#}
{% macro built_with() -%}
    {%- set batches = events_relation('ingest', 'batches') -%}
    '{{ var('project_digest') }}|{{ var('inputs_known_at') }}|{{ var('inputs_extracted_by') }}|'
    || coalesce((select cast(min(started_at) as {{ dbt.type_string() }}) from {{ batches }}), '')
{%- endmacro %}


{#- Post-hook: this build's watermark, the highest batch_id and ingested_at of `read` (the
    model's input; default the model itself, whose rows are the events it read that count), in
    place of the last one. One statement per query, as every adapter runs them. -#}
{% macro remember_watermark(read=none) %}
    {%- set watermarks = watermarks_relation() -%}
    {%- do run_query("create table if not exists " ~ watermarks ~ " (model " ~ dbt.type_string()
                     ~ ", knowledge_time " ~ dbt.type_timestamp() ~ ", last_batch " ~ dbt.type_int()
                     ~ ", last_ingested_at " ~ dbt.type_timestamp() ~ ", built_with " ~ dbt.type_string() ~ ")") -%}
    {%- do run_query("delete from " ~ watermarks ~ " where model = '" ~ this.identifier ~ "'") -%}
    insert into {{ watermarks }}
    select '{{ this.identifier }}', {{ knowledge_time() }}, coalesce(max(batch_id), 0),
        coalesce(max(ingested_at), cast('1900-01-01' as timestamp)), {{ built_with() }}
    from {{ read or this }}
{% endmacro %}
