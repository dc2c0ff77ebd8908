"""Where the quality gate's results go, in the warehouse's home:

- `quality/results.duckdb`, three tables:
  - `results`: one row per expectation per run, the details of the latest KEPT_RUNS runs (a run is
    one ingest's check of its batches, or one refresh's gate); storing a run deletes the rows of
    the runs before those (`select * from results where not success order by validated_at desc`);
  - `latest`: the latest result of every suite, however long ago its last run was;
  - `passed`: which raw batch passed which suite version (suite, its digest), kept for good: one
    row per batch and raw suite, so the gate's reading of it does not grow with the runs.
- `quality/index.html`: the latest result of every suite, for people.

Samples of unexpected values have personal data masked, as everywhere the warehouse prints.
"""
from __future__ import annotations

import json
import uuid
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from kumkm.clock import utc_now
from kumkm.home import Home

if TYPE_CHECKING:
    from expectations.runner import Outcome

KEPT_RUNS = 100

COLUMNS_DDL = """(
    run_id varchar not null,
    validated_at timestamp not null,   -- UTC
    layer varchar not null,            -- raw, staging, marts
    suite varchar not null,
    table_name varchar not null,
    batch_ids integer[],               -- raw events of these batches only; null: the whole table
    suite_digest varchar not null,     -- of the suite's files as they were run
    expectation_type varchar not null,
    description varchar not null,
    column_name varchar,
    kwargs json,
    query varchar,                     -- the derived query's file under expectations/suites/
    severity varchar not null,         -- blocking, warning
    success boolean not null,
    observed varchar not null,         -- what was found, in a few words
    observed_value json,
    element_count bigint,
    unexpected_count bigint,
    unexpected_sample json,            -- up to 5 values or rows, personal data masked
    exception varchar                  -- why the expectation could not run (counted as failed)
)"""

TABLES = f"""
create table if not exists results {COLUMNS_DDL};
create table if not exists latest {COLUMNS_DDL};
create table if not exists passed (
    suite varchar not null,
    suite_digest varchar not null,
    batch_id integer not null,
    run_id varchar not null,           -- the first run that passed it
    validated_at timestamp not null,
    primary key (suite, suite_digest, batch_id)
);
"""


def results_db(home: Home) -> Path:
    return home.root / "quality" / "results.duckdb"


def results_page(home: Home) -> Path:
    return home.root / "quality" / "index.html"


def passed_batches(home: Home) -> dict[tuple[str, str], set[int]]:
    """Per (suite, digest), the raw batches some stored run of that suite passed whole."""
    if not results_db(home).exists():
        return {}
    con = duckdb.connect(str(results_db(home)), read_only=True)
    try:
        passed = con.execute("select suite, suite_digest, batch_id from passed").fetchall()
    except duckdb.CatalogException:  # a store no run has written since `passed` came
        passed = []
    finally:
        con.close()
    found: dict[tuple[str, str], set[int]] = {}
    for suite, digest, batch_id in passed:
        found.setdefault((suite, digest), set()).add(batch_id)
    return found


COLUMNS = ("run_id", "validated_at", "layer", "suite", "table_name", "batch_ids", "suite_digest",
           "expectation_type", "description", "column_name", "kwargs", "query", "severity", "success", "observed",
           "observed_value", "element_count", "unexpected_count", "unexpected_sample", "exception")


def rows(run_id: str, outcomes: list[Outcome]) -> list[tuple]:
    validated_at = utc_now()
    return [(run_id, validated_at, o.layer, o.suite, o.table, None if o.batch_ids is None else list(o.batch_ids),
             o.suite_digest, o.expectation_type, o.description, o.column, json.dumps(o.kwargs), o.query, o.severity,
             o.success, o.observed, json.dumps(o.observed_value), o.element_count, o.unexpected_count,
             json.dumps(o.unexpected_sample), o.exception) for o in outcomes]


def insert(con: duckdb.DuckDBPyConnection, run: list[tuple]) -> None:
    """The rows into `results` in one statement, a list per column (a hundred times faster than
    executemany)."""
    values = ", ".join(f"unnest(${number})" for number in range(1, len(COLUMNS) + 1))
    con.execute(f"insert into results ({', '.join(COLUMNS)}) select {values}", [list(c) for c in zip(*run)])


def store(con: duckdb.DuckDBPyConnection, run_id: str, outcomes: list[Outcome]) -> None:
    """The run's rows into `results`, its suites' results into `latest`, the raw batches it passed
    into `passed` (where those of an older version of its suites leave); then the runs before the
    latest KEPT_RUNS leave `results`."""
    insert(con, rows(run_id, outcomes))
    con.execute("delete from latest where suite in (select suite from results where run_id = $run)", {"run": run_id})
    con.execute("insert into latest select * from results where run_id = $run", {"run": run_id})
    con.execute("""
        insert or ignore into passed
        select suite, suite_digest, unnest(batch_ids), run_id, validated_at
        from results
        where run_id = $run and batch_ids is not null
        group by run_id, validated_at, suite, suite_digest, batch_ids having bool_and(success)""", {"run": run_id})
    con.execute("""
        delete from passed where exists (
            select 1 from results
            where run_id = $run and results.suite = passed.suite and results.suite_digest <> passed.suite_digest)""",
                {"run": run_id})
    con.execute("""
        delete from results where run_id not in (
            select run_id from results group by run_id order by max(validated_at) desc limit $kept)""",
                {"kept": KEPT_RUNS})


def record(home: Home, outcomes: list[Outcome]) -> str:
    """Stores one run's outcomes, renders the page of the latest result of every suite; returns the
    run's id."""
    run_id = uuid.uuid4().hex[:12]
    results_db(home).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(results_db(home)))
    try:
        con.execute(TABLES)
        con.begin()
        store(con, run_id, outcomes)
        con.commit()
        cursor = con.execute("select * from latest order by suite")
        names = [d[0] for d in cursor.description]
        latest = [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()
    results_page(home).write_text(page(latest), encoding="utf-8")
    return run_id


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
tr.blocked td:first-child { color: #b00020; font-weight: bold; }
tr.warned td:first-child { color: #a06000; font-weight: bold; }
tr.passed td:first-child { color: #2e7d32; }
code { font-size: 0.85em; color: #555; }
.verdict { font-size: 1.2em; font-weight: bold; }
"""


def verdict(run: list[dict]) -> str:
    blocked = sum(not r["success"] and r["severity"] == "blocking" for r in run)
    warned = sum(not r["success"] and r["severity"] == "warning" for r in run)
    if blocked:
        return f"Publishing stopped: {blocked} blocking expectation(s) failed, {warned} warning(s)."
    return f"Every blocking expectation holds; {warned} warning(s)."


def status(result: dict) -> tuple[str, str]:
    if result["success"]:
        return "passed", "passed"
    return ("blocked", "FAILED") if result["severity"] == "blocking" else ("warned", "warning")


def html_row(result: dict) -> str:
    css, label = status(result)
    how = f"{result['expectation_type']}({result['query'] or result['kwargs']})"
    sample = "" if result["success"] else result["unexpected_sample"]
    cells = [escape(label), escape(result["severity"]), escape(result["table_name"]), escape(result["description"]),
             f"<code>{escape(how)}</code>", escape(result["observed"]), f"<code>{escape(sample)}</code>"]
    return f'<tr class="{css}">' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def page(run: list[dict]) -> str:
    """The run as HTML: blocking failures first, then warnings, then what passed, each by suite."""
    ranked = sorted(run, key=lambda r: (r["success"], r["severity"] == "warning", r["suite"]))
    body = "\n".join(html_row(r) for r in ranked)
    newest = max(run, key=lambda r: r["validated_at"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kumkm data quality</title><style>{STYLE}</style></head>
<body>
<h1>Data quality of the warehouse</h1>
<p>The latest result of each of {len({r["suite"] for r in run})} suites ({len(run)} expectations; a raw
suite's on the batches it last checked). Newest: run {escape(newest["run_id"])}, validated
{newest["validated_at"]:%Y-%m-%d %H:%M:%S} UTC.</p>
<p class="verdict">{verdict(run)}</p>
<table>
<tr><th>result</th><th>severity</th><th>table</th><th>expectation</th><th>how</th><th>observed</th><th>sample</th></tr>
{body}
</table>
<p>The details of the latest {KEPT_RUNS} runs are kept in <code>quality/results.duckdb</code>, table
<code>results</code>; the latest result of every suite in table <code>latest</code>.</p>
</body></html>
"""
