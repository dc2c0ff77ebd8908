"""The event store: one append-only event table per source kind, the batch registry, the quarantine,
and the retractions of batches."""
from __future__ import annotations

from datetime import datetime
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


# A retracted batch stays stored; figures as known at or after `retracted_at` leave its events out
# (dbt_project/macros/knowledge_time.sql), and so do ingest's comparisons with what is known.
RETRACTIONS = """
create table if not exists ingest.retractions (
    batch_id integer not null,
    reason varchar not null,
    retracted_at timestamp not null   -- UTC
)"""

BATCHES_WITH_RETRACTIONS = """
create view if not exists ingest.batches_with_retractions as
select batches.*, retractions.retracted_at, retractions.reason as retraction_reason
from ingest.batches as batches
left join ingest.retractions as retractions using (batch_id)"""

NOT_RETRACTED = "batch_id not in (select batch_id from ingest.retractions)"


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
    con.execute(RETRACTIONS)
    con.execute(BATCHES_WITH_RETRACTIONS)
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


class NotRetractable(Exception):
    """The batch is not one that added events, or was retracted already."""


def retract(events_db: Path, batch_id: int, reason: str, at: datetime) -> dict:
    """Appends the retraction of an ingested batch (nothing is deleted); returns the batch's row of
    ingest.batches_with_retractions."""
    if not reason.strip():
        raise NotRetractable("a retraction needs its reason")
    con = connect(events_db)
    try:
        cursor = con.execute("select * from ingest.batches_with_retractions where batch_id = ?", [batch_id])
        found = cursor.fetchone()
        batch = dict(zip([d[0] for d in cursor.description], found)) if found else None
        if batch is None or batch["status"] != "ingested":
            raise NotRetractable(f"batch {batch_id} " + (f"is {batch['file_name']}, {batch['status'].replace('_', ' ')}: "
                                 "it added no events" if batch else "does not exist") + " (see ingest.batches)")
        if batch["retracted_at"] is not None:
            raise NotRetractable(f"batch {batch_id} ({batch['file_name']}) was retracted at "
                                 f"{batch['retracted_at']:%Y-%m-%d %H:%M:%S} UTC: {batch['retraction_reason']}")
        con.execute("insert into ingest.retractions values (?, ?, ?)", [batch_id, reason.strip(), at])
    finally:
        con.close()
    return {**batch, "retracted_at": at, "retraction_reason": reason.strip()}
