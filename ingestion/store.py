"""The event store: one append-only event table per source kind, the batch registry, the quarantine."""
from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.contract import KINDS, SOURCES, Kind
from ingestion.parse import SQL_TYPES

EVENT_COLUMNS = (
    ("event_id", "varchar not null"),      # md5 of source, kind, record key and the file's sha256
    ("source", "varchar not null"),
    ("kind", "varchar not null"),
    ("record_key", "varchar not null"),
    ("valid_date", "date"),                # the record's own date
    ("extracted_on", "date not null"),     # from the file name
    ("ingested_at", "timestamp not null"),  # knowledge time, UTC
    ("batch_id", "integer not null"),
    ("source_file", "varchar not null"),
    ("row_number", "integer"),             # null for a sub-activity a budget version omits (pagu 0)
    ("content_hash", "varchar not null"),
)

BATCHES = """
create table if not exists ingest.batches (
    batch_id integer primary key,
    source varchar, kind varchar,
    file_name varchar not null, file_path varchar not null,
    sha256 varchar not null, size_bytes bigint not null,
    extracted_on date,
    status varchar not null,          -- ingested | already_ingested | refused
    reason varchar,
    rows_read bigint, rows_added bigint, rows_known bigint, rows_rejected bigint,
    events_omitted bigint,            -- budget sub-activities a re-delivered version left out (pagu 0)
    started_at timestamp not null, finished_at timestamp not null, seconds double
)"""

QUARANTINE = """
create table if not exists ingest.quarantine (
    batch_id integer not null,
    source varchar not null, kind varchar not null,
    source_file varchar not null, sha256 varchar not null,
    row_number integer not null,
    column_name varchar not null,
    raw_value varchar,
    reason varchar not null
)"""


def event_table_ddl(kind: Kind) -> str:
    cols = [f"{name} {sql}" for name, sql in EVENT_COLUMNS]
    cols += [f"{c.name} {SQL_TYPES.get(c.type, 'varchar')}" for c in kind.columns]
    cols.append("extra json")  # columns beyond the contract, kept as delivered
    return f"create table if not exists {kind.table} (\n    " + ",\n    ".join(cols) + "\n)"


class OlderStore(Exception):
    """The event store was made under an older contract: an event table lacks a column the contract
    has since gained. Its events stay as they are; a new home takes the files again."""


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Ingest numbers a file's rows by their place in a temp table, which insertion order keeps; past
    # the memory limit DuckDB spills to disk: a 1M-row file fits in it, a 5M-row file's ingest stays
    # under 700 MB (benchmarks/RESULTS.md).
    con = duckdb.connect(str(path), config={"memory_limit": "512MB", "preserve_insertion_order": True})
    con.execute("set enable_progress_bar = false")  # `kumkm ingest` shows its own, on stderr
    for schema in (*SOURCES, "ingest"):
        con.execute(f"create schema if not exists {schema}")
    con.execute(BATCHES)
    con.execute(QUARANTINE)
    for kind in KINDS.values():
        con.execute(event_table_ddl(kind))
    missing = missing_columns(con)
    if missing:
        con.close()
        raise OlderStore(f"the event store {path} predates the contract's {', '.join(missing)} (sources.md): "
                         "ingest the exports into a new KUMKM_HOME")
    return con


def missing_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The contract's columns an event table made under an older contract lacks."""
    present = set(con.execute("select table_schema, table_name, column_name from information_schema.columns "
                              "where table_catalog = current_database()").fetchall())
    return [f"{kind.table}.{column.name}" for kind in KINDS.values() for column in kind.columns
            if (kind.source, kind.name, column.name) not in present]
