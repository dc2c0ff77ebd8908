"""Retraction-filter benchmark: what leaving out retracted batches costs the version ranking every staging model runs.

Run: .venv/bin/python benchmarks/retraction_filter.py [--events 3700000] [--repeat 5]. In one DuckDB (2 threads, as a
refresh runs), builds an event table shaped like the store's at ×100 (3.7 M events of 1.5 M record keys, 60
batches, an event id, dates and 8 payload columns), then times the query of the macro `known_versions`
(dbt_project/macros/knowledge_time.sql: the highest rank of each record's versions known at K, joined back)
as it was before retractions, and with its filter `batch_id not in (batches retracted by K)`, over an empty
ingest.retractions and over one of 3 retracted batches, the three interleaved. Writes the `Retraction filter`
section of benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import datetime
from importlib.metadata import version

import duckdb

from refresh import commit, load, machine, write_section

K = "cast('2026-12-01 00:00:00' as timestamp)"
EVENTS = """
create table events as
select md5(cast(i as varchar)) as event_id, 'key-' || (i % $keys) as record_key,
    date '2025-01-01' + cast(i % 365 as integer) as extracted_on, cast(i % 60 as integer) + 1 as batch_id,
    timestamp '2026-01-01' + to_seconds(i % 100000) as ingested_at,
    'file_' || (i % 60) || '.csv' as source_file, cast(i % 5000 as integer) as row_number,
    md5(cast(i * 7 as varchar)) as content_hash, 'Koperasi ' || (i % 9973) as nama, i % 12 as kecamatan,
    cast(i % 1000000 as decimal(18, 2)) as aset, date '2020-01-01' + cast(i % 2000 as integer) as tanggal
from range($events) as t(i)"""
RETRACTIONS = f"""
create table no_retractions (batch_id integer, reason varchar, retracted_at timestamp);
create table retractions as
select * from (values (5, 'x', {K}), (17, 'y', {K}), (40, 'z', {K})) as t (batch_id, reason, retracted_at)"""
RETRACTED_BY_K = "and batch_id not in (select batch_id from {table} where retracted_at <= " + K + ")"
# The macro's SQL (version_rank: days since 2000 * 1e9 + batch), counted instead of kept.
RANK = "cast(date_diff('day', date '2000-01-01', {0}extracted_on) as bigint) * 1000000000 + {0}batch_id"
KNOWN_VERSIONS = f"""
select count(*), sum(events.aset)
from events
inner join (
    select record_key, max({RANK.format('')}) as version_rank
    from events
    where ingested_at <= {K} {{retracted}}
    group by record_key
) as versions on versions.record_key = events.record_key and versions.version_rank = {RANK.format('events.')}"""

def timed(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, float, tuple]:
    wall, cpu = time.perf_counter(), time.process_time()
    found = con.execute(sql).fetchone()
    return time.perf_counter() - wall, time.process_time() - cpu, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3_700_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query, interleaved; the fastest counts")
    args = parser.parse_args()
    at_start, head = os.getloadavg()[0], commit()
    con = duckdb.connect(config={"threads": 2, "memory_limit": "1GB"})
    con.execute(EVENTS, {"events": args.events, "keys": args.events * 15 // 37})
    con.execute(RETRACTIONS)
    cases = {"before retractions (no filter)": KNOWN_VERSIONS.format(retracted=""),
             "with the filter, nothing retracted": KNOWN_VERSIONS.format(
                 retracted=RETRACTED_BY_K.format(table="no_retractions")),
             "with the filter, 3 batches retracted": KNOWN_VERSIONS.format(
                 retracted=RETRACTED_BY_K.format(table="retractions"))}
    runs: dict[str, list] = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, sql in cases.items():
            runs[name].append(timed(con, sql))
    base = min(cpu for _, cpu, _ in runs["before retractions (no filter)"])
    rows = [f"| {name} | {found[0]:,} | {min(w for w, _, _ in r):.2f} | {min(c for _, c, _ in r):.2f} | "
            f"{min(c for _, c, _ in r) / base - 1:+.0%} |" for name, r in runs.items() for found in [r[0][2]]]
    section = "\n".join([
        "## Retraction filter",
        "",
        f"`.venv/bin/python benchmarks/retraction_filter.py"
        + (f" --events {args.events}" if args.events != 3_700_000 else "")
        + (f" --repeat {args.repeat}" if args.repeat != 5 else "") + f"` on {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- machine: {machine()}, {load(at_start)}",
        f"- commit {head}; DuckDB {version('duckdb')}, Python {platform.python_version()}",
        "",
        "| `known_versions` over the events | winning versions | best s | best CPU s | CPU vs no filter |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"- events: {args.events:,} synthetic ones shaped like the store's at ×100 (60 batches, 13 columns); the query",
        "  is the macro's (the highest rank of each record's versions known at K, joined back), counted; 2 threads, 1 GB.",
        f"- time: the fastest of {args.repeat} runs, interleaved; CPU: user + system of the process.",
        "",
    ])
    write_section(section)
    print(section)


if __name__ == "__main__":
    main()
