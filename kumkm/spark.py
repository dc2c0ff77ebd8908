"""The warehouse built on Apache Spark (issue 17, `kumkm refresh --target spark`): the event store
exported as Parquet (`kumkm export-events`), the same dbt build on the profile's `spark` target, then
every table it made copied into the home's transform database, where the audit's classes, the
quality gate and publishing read them as they read DuckDB's own build.
"""
from __future__ import annotations

import os
import shutil
import warnings
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion.parquet import export_events, exported_tables
from kumkm.clock import utc_now
from kumkm.home import Home
from kumkm.warehouse import DBT_PROJECT, Progress, Quarter, catalogue_state, dbt_vars, run_dbt

warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")  # pandas is unused here

# Kept in the transform database across builds (kumkm/audit.py): no Spark build makes it.
KEPT_SCHEMAS = ("terbit",)


def build_on_spark(home: Home, first: Quarter | None = None, last: Quarter | None = None,
                   knowledge_time: datetime | None = None, progress: Progress | None = None) -> datetime:
    """kumkm.warehouse.build on Spark: exports the batches ingested since the last export, builds the
    quarters (none: all, from scratch) as known at K (default now), and copies the build into the
    transform database. Returns K."""
    k = knowledge_time or utc_now()
    say = progress or (lambda _: None)
    # Spark's JVM, started by the build, logs only errors (a user's own SPARK_CONF_DIR wins)
    os.environ.setdefault("SPARK_CONF_DIR", str(DBT_PROJECT / "spark_conf"))
    say(f"spark: exporting the event store to {home.events_parquet}")
    export_events(home.events_db, home.events_parquet)
    tables = exported_tables(home.events_parquet)
    variables = {**dbt_vars(k, first, last), "events_parquet": str(home.events_parquet),
                 "events_parquet_tables": tables}
    manifest = run_dbt(home, "build", variables, *([] if first or last else ["--full-refresh"]),
                       progress=progress, engine="spark")
    say(f"spark: copying the build into {home.transform_db}")
    copy_build(home, {table.split(".")[0] for table in tables}, documented_columns(manifest))
    return k


def documented_columns(manifest) -> dict[tuple[str, str], list[str]]:
    """(schema, table) -> its columns as its model documents them, in the order of the model's select."""
    return {(node.schema, node.alias): list(node.columns) for node in manifest.nodes.values()
            if node.resource_type == "model" and node.columns}


def copy_build(home: Home, event_schemas: set[str], documented: dict[tuple[str, str], list[str]]) -> None:
    """Every table and view of the Spark build (its schemas but the event store's), each written by
    Spark as Parquet and read into the transform database in one transaction, in place of what it
    held (but the kept schemas). A partitioned table's columns, which Spark puts last, come back
    where its model documents them."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()  # the build's session (dbt ran it in another thread)
    copies = home.spark / "copies"
    shutil.rmtree(copies, ignore_errors=True)
    written = []
    for schema in sorted({db.name for db in spark.catalog.listDatabases()} - event_schemas - {"default"}):
        for table in [t for t in spark.catalog.listTables(schema) if not t.isTemporary]:  # not dbt's temp views
            frame = spark.table(f"{schema}.{table.name}")
            frame = frame.select(*in_documented_order(frame.columns, documented.get((schema, table.name), [])))
            frame.coalesce(1).write.parquet(str(copies / schema / table.name))
            written.append((schema, table.name))
    try:
        replace_transform_tables(home, copies, written)
    finally:
        shutil.rmtree(copies, ignore_errors=True)
    # seeds and catalogue as a DuckDB build left them are gone: the next local build makes them again
    catalogue_state(home).unlink(missing_ok=True)


def in_documented_order(columns: list[str], documented: list[str]) -> list[str]:
    """The columns, ordered as documented when the documentation names every one of them."""
    return documented if sorted(documented) == sorted(columns) else columns


def replace_transform_tables(home: Home, copies: Path, written: list[tuple[str, str]]) -> None:
    con = duckdb.connect(str(home.transform_db))
    try:
        con.execute("begin")
        for (schema,) in con.execute("select schema_name from information_schema.schemata where catalog_name = "
                                     "current_database() and schema_name not in ('main', 'information_schema', "
                                     "'pg_catalog')").fetchall():
            if schema not in KEPT_SCHEMAS:
                con.execute(f'drop schema "{schema}" cascade')
        for schema, table in written:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(f'create table "{schema}"."{table}" as select * from read_parquet($files)',
                        {"files": str(copies / schema / table / "*.parquet")})
        con.execute("commit")
    finally:
        con.close()
