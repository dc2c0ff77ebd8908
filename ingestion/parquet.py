"""`kumkm export-events`: the event store as Parquet, the format Spark and DuckDB both read.

Layout under the folder: `<source>/<kind>/batch_id=<n>/data.parquet`, one file per batch of each event
table (hive-partitioned by batch_id), and the tables the store keeps whole, which the models read too:
the batch registry (`ingest/batches/data.parquet`, `ingest/retractions/data.parquet`) and, once a quarter
was published, the publications (`publish/publications/data.parquet`, `publish/figures/data.parquet`)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.contract import KINDS, Kind

DATA = "data.parquet"
PARTITION = "batch_id="
# Written whole by every export (a retraction changes the registry), when the store has them.
WHOLE = ("ingest.batches", "ingest.retractions", "publish.publications", "publish.figures")
REGISTRY = Path("ingest") / "batches" / DATA


class OtherStore(Exception):
    """The folder holds the Parquet of another event store."""


@dataclass(frozen=True)
class Written:
    table: str  # source.kind
    batches: int
    rows: int


def export_events(events_db: Path, folder: Path) -> list[Written]:
    """Writes the batches of each event table not yet in `folder` (a batch's events never change once
    ingested), then the tables kept whole again. Returns what it wrote per event table."""
    folder = folder.resolve()
    con = duckdb.connect(str(events_db), read_only=True)
    try:
        refuse_other_store(con, folder)
        written = [write_new_batches(con, kind, table_folder(folder, kind.table)) for kind in KINDS.values()]
        stored = {f"{schema}.{name}" for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables").fetchall()}
        for table in WHOLE:
            if table in stored:
                replace(con, f"select * from {table} order by all", table_folder(folder, table) / DATA)
    finally:
        con.close()
    return written


def exported_tables(folder: Path) -> list[str]:
    """The tables ("schema.table") of the export in `folder`: its event tables with a batch, then the
    tables kept whole that it holds (the spark target's var events_parquet_tables)."""
    events = [kind.table for kind in KINDS.values() if any(table_folder(folder, kind.table).glob(f"{PARTITION}*"))]
    return events + [table for table in WHOLE if (table_folder(folder, table) / DATA).exists()]


def exported_relation(folder: Path, table: str) -> str:
    """DuckDB's relation of an exported table, batch_id the store's INTEGER (DuckDB types a partition
    of digits BIGINT; Spark, like the store, int)."""
    if table in WHOLE:
        return f"read_parquet('{table_folder(folder, table) / DATA}')"
    return (f"read_parquet('{table_folder(folder, table)}/{PARTITION}*/{DATA}', hive_partitioning = true, "
            "hive_types = {'batch_id': INTEGER})")


def table_folder(folder: Path, table: str) -> Path:
    return folder.joinpath(*table.split("."))


def refuse_other_store(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """A store made again numbers its batches from 1 again: its first batch's start tells it apart."""
    registry = folder / REGISTRY
    if not registry.exists():
        return
    first = "select started_at from {} order by batch_id limit 1"
    exported = con.execute(first.format("read_parquet($path)"), {"path": str(registry)}).fetchone()
    stored = con.execute(first.format("ingest.batches")).fetchone()
    if exported and exported != stored:
        raise OtherStore(f"{folder} holds the events of another event store (first batch started at "
                         f"{exported[0]:%Y-%m-%d %H:%M:%S}): export into a new folder")


def write_new_batches(con: duckdb.DuckDBPyConnection, kind: Kind, table_dir: Path) -> Written:
    exported = {int(p.parent.name.removeprefix(PARTITION)) for p in table_dir.glob(f"{PARTITION}*/{DATA}")}
    batches = [b for (b,) in con.execute(f"select distinct batch_id from {kind.table} order by 1").fetchall()
               if b not in exported]
    columns = ", ".join(as_exported(name, data_type) for name, data_type in con.execute(
        "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ? "
        "and column_name <> 'batch_id' order by ordinal_position", [kind.source, kind.name]).fetchall())
    rows = sum(replace(con, f"select {columns} from {kind.table} where batch_id = {batch}",
                       table_dir / f"{PARTITION}{batch}" / DATA) for batch in batches)
    return Written(kind.table, len(batches), rows)


def as_exported(column: str, data_type: str) -> str:
    """Every column with its DuckDB type but JSON, written as text (which every engine reads)."""
    return f"cast({column} as varchar) as {column}" if data_type == "JSON" else column


def replace(con: duckdb.DuckDBPyConnection, select: str, path: Path) -> int:
    """Writes the rows of `select` to `path` through a hidden temp file that takes its place whole, so a
    reader (or an export cut short) never sees half a file. Returns the rows written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    [(rows,)] = con.execute(f"copy ({select}) to $path (format parquet)", {"path": str(temp)}).fetchall()
    os.replace(temp, path)
    return rows
