"""The quality gate: the Great Expectations suites of `expectations/suites/` run on the warehouse.

GX 1.24 cannot validate DuckDB tables through SQL, so each suite's table (only the columns its
expectations name; for raw events optionally one batch) and each derived query is read into pandas
through DuckDB and validated as a whole-dataframe batch of an ephemeral GX context.

A suite file is GX's own JSON plus, in its `meta`, the `layer` and `table` it checks and the `key`
columns that identify a row in the samples of what failed. Every expectation carries
`meta.severity`: `blocking` (a failure stops publishing) or `warning`. Where a built-in expectation
cannot say a rule, `meta.query` names a `.sql` file under `suites/` that returns the rows breaking
it, and the expectation is that it returns none; a file several suites share (`row_count_holds.sql`)
reads `{table}`, the suite's table.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

# GX logs its set-up at INFO, which `kumkm` shows: keep GX to its warnings, from its import on
# (and again after it, as one of its modules sets INFO on its own logger).
logging.getLogger("great_expectations").setLevel(logging.WARNING)

import great_expectations as gx  # noqa: E402
from great_expectations.core import ExpectationSuite  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)

from great_expectations.execution_engine import pandas_execution_engine  # noqa: E402

# GX fingerprints every batch's DataFrame under this size by hashing it whole: 40% of validating a
# million events, for a marker nothing here reads.
pandas_execution_engine.HASH_THRESHOLD = 0

from expectations.results import passed_batches, record, results_page  # noqa: E402
from kumkm.home import Home  # noqa: E402
from kumkm.masking import PERSONAL_COLUMNS, mask  # noqa: E402
from kumkm.warehouse import RefreshFailed, publish  # noqa: E402

SUITES = Path(__file__).resolve().parent / "suites"
LAYERS = ("raw", "staging", "marts")
SEVERITIES = ("blocking", "warning")
SAMPLE_ROWS = 5
SHOWN_FAILURES = 5
EVENTS_PER_FRAME = 1_000_000  # raw events validated at once, so that pandas holds at most about this many


class SuiteError(Exception):
    """A suite file GX would not load as written."""


class QualityGateFailed(RefreshFailed):
    """A blocking expectation failed on the built warehouse; nothing was published."""


@dataclass(frozen=True)
class Outcome:
    """One expectation's result on its table or derived query."""
    suite: str
    layer: str
    table: str
    batch_ids: tuple[int, ...] | None  # raw events of these batches only; None: the whole table
    suite_digest: str
    expectation_type: str
    description: str
    kwargs: dict
    query: str | None
    severity: str
    success: bool
    observed_value: object
    element_count: int | None
    unexpected_count: int | None
    unexpected_sample: list
    exception: str | None

    @property
    def blocks(self) -> bool:
        return self.severity == "blocking" and not self.success

    @property
    def column(self) -> str | None:
        return column_of(self.kwargs)

    @property
    def observed(self) -> str:
        """What was found, in a few words."""
        if self.exception:
            return f"error: {self.exception}"
        if self.query:
            return f"{self.observed_value} rows break it" if self.observed_value != 1 else "1 row breaks it"
        if self.unexpected_count is not None:
            return f"{self.unexpected_count} of {self.element_count} rows unexpected"
        return f"observed {json.dumps(self.observed_value)}"


def column_of(kwargs: dict) -> str | None:
    """The column an expectation is about, or its columns joined by commas."""
    columns = kwargs.get("column_list") or [kwargs[c] for c in ("column", "column_A", "column_B") if c in kwargs]
    return ", ".join(columns) or None


@dataclass(frozen=True)
class Target:
    """What one GX batch holds: the suite's table, or the rows one derived query returns."""
    sql: str
    query: str | None
    expectations: list


def load_suite(path: Path) -> ExpectationSuite:
    """GX drops an expectation of an unknown type with nothing but a log line: a count that differs
    from the file's is an error, as is a missing severity or query file."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    suite = ExpectationSuite(**spec)
    if len(suite.expectations) != len(spec["expectations"]):
        raise SuiteError(f"{path.name}: {len(spec['expectations'])} expectations written, "
                         f"{len(suite.expectations)} loaded; is an expectation type misspelt?")
    for expectation in suite.expectations:
        if expectation.meta.get("severity") not in SEVERITIES:
            raise SuiteError(f"{path.name}: {expectation.description!r} needs meta.severity "
                             f"{' or '.join(SEVERITIES)}")
        if "query" in expectation.meta and not (SUITES / expectation.meta["query"]).is_file():
            raise SuiteError(f"{path.name}: query file {expectation.meta['query']} is missing")
    queries = sorted({e.meta["query"] for e in suite.expectations if "query" in e.meta})
    text = path.read_bytes() + b"".join((SUITES / q).read_bytes() for q in queries)
    suite.meta["digest"] = hashlib.sha256(text).hexdigest()[:16]  # a batch checked by an older suite is checked again
    return suite


def load_suites(layers: tuple[str, ...] = LAYERS) -> list[ExpectationSuite]:
    paths = sorted(SUITES.glob("*.json"))
    if not paths:  # a gate without suites would pass everything
        raise SuiteError(f"no suite files in {SUITES}")
    return [suite for suite in map(load_suite, paths) if suite.meta["layer"] in layers]


def columns_named(node: object) -> set[str]:
    """Every column an expectation's kwargs name, row conditions included."""
    if isinstance(node, list):
        return set().union(*map(columns_named, node))
    if not isinstance(node, dict):
        return set()
    names = set(node.get("column_list") or [])
    for key, value in node.items():
        if key in ("column", "column_A", "column_B") and isinstance(value, str):
            names.add(value)
        elif key == "column" and isinstance(value, dict):
            names.add(value["name"])
        elif key != "column_list":
            names |= columns_named(value)
    return names


def table_sql(suite: ExpectationSuite, expectations: list) -> str:
    named = set().union(*(columns_named(e.configuration.to_json_dict()["kwargs"]) for e in expectations))
    names = suite.meta.get("key", []) + sorted(named - set(suite.meta.get("key", [])))
    columns = ", ".join(f'"{name}"' for name in names) or "*"
    one_batch = (" where $batch_ids is null or list_contains($batch_ids, batch_id)"
                 if suite.meta["layer"] == "raw" else "")
    return f"select {columns} from {suite.meta['table']}{one_batch}"


def query_sql(suite: ExpectationSuite, query: str) -> str:
    """A derived query's SQL; a query file several suites share names their table `{table}`."""
    return (SUITES / query).read_text(encoding="utf-8").replace("{table}", suite.meta["table"])


def targets(suite: ExpectationSuite) -> list[Target]:
    own = [e for e in suite.expectations if "query" not in e.meta]
    derived = [Target(query_sql(suite, e.meta["query"]), e.meta["query"], [e])
               for e in suite.expectations if "query" in e.meta]
    return ([Target(table_sql(suite, own), None, own)] if own else []) + derived


@contextmanager
def warehouse(home: Home) -> Iterator[duckdb.DuckDBPyConnection]:
    """The event store and the transform database, read-only, in one connection: the staging views
    read the event store under the name dbt gives it, `events`."""
    con = duckdb.connect()
    try:
        if home.events_db.exists():
            con.execute(f"attach '{home.events_db}' as events (read_only)")
        if home.transform_db.exists():
            con.execute(f"attach '{home.transform_db}' as transform (read_only)")
            con.execute("use transform")
        yield con
    finally:
        con.close()


def read_frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None) -> pd.DataFrame:
    """The rows as pandas, through Arrow (a third of the time of `.df()`): dates stay dates, which GX
    compares with date bounds, and decimals stay exact."""
    table = con.sql(sql, params=params).to_arrow_table()
    return table.rename_columns(distinct_names(table.column_names)).to_pandas()


def distinct_names(names: list[str]) -> list[str]:
    """Column names made distinct as DuckDB's own DataFrames do (a query may select `kode` twice)."""
    seen: dict[str, int] = {}
    distinct = []
    for name in names:
        distinct.append(f"{name}_{seen[name]}" if name in seen else name)
        seen[name] = seen.get(name, 0) + 1
    return distinct


def plain(value: object) -> object:
    """A value as JSON can hold it."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (date, datetime, pd.Timestamp, Decimal)):
        return str(value)
    return value


def masked(column: str | None, value: object) -> object:
    value = plain(value)
    return mask(str(value)) if column in PERSONAL_COLUMNS and value is not None else value


def unexpected_sample(suite: ExpectationSuite, target: Target, frame: pd.DataFrame, kwargs: dict,
                      details: dict) -> list:
    """A few of the rows (their key and the columns checked) or else values that broke the
    expectation, personal data masked."""
    if target.query:
        rows = frame.head(SAMPLE_ROWS)
    else:
        shown = [c for c in frame.columns if c in suite.meta.get("key", []) or c in columns_named(kwargs)]
        rows = frame.loc[details.get("partial_unexpected_index_list", [])[:SAMPLE_ROWS], shown]
    if rows.empty:
        return [masked(column_of(kwargs), value) for value in details.get("partial_unexpected_list", [])[:SAMPLE_ROWS]]
    return [{name: masked(name, value) for name, value in row.items()} for row in rows.to_dict("records")]


def exception_message(info: dict | None) -> str | None:
    """GX reports an expectation that could not run as a failure; this is why it could not."""
    if not info:
        return None
    reports = [info] if "raised_exception" in info else list(info.values())
    return "; ".join(r["exception_message"] for r in reports if r.get("raised_exception")) or None


def outcome(suite: ExpectationSuite, target: Target, frame: pd.DataFrame, result,
            batch_ids: tuple[int, ...] | None) -> Outcome:
    config = result.expectation_config
    details = result.result or {}
    kwargs = plain({k: v for k, v in config.kwargs.items() if k != "batch_id"})  # GX's own batch id
    sample = [] if result.success else unexpected_sample(suite, target, frame, kwargs, details)
    return Outcome(suite.name, suite.meta["layer"], suite.meta["table"], batch_ids, suite.meta["digest"],
                   config.type, config.description,
                   kwargs, target.query, config.meta["severity"], bool(result.success),
                   plain(details.get("observed_value")), details.get("element_count"),
                   details.get("unexpected_count"), sample, exception_message(result.exception_info))


def unreadable(suite: ExpectationSuite, target: Target, batch_ids: tuple[int, ...] | None,
               error: Exception) -> list[Outcome]:
    """A table or query DuckDB could not read fails every expectation on it."""
    return [Outcome(suite.name, suite.meta["layer"], suite.meta["table"], batch_ids, suite.meta["digest"],
                    e.expectation_type,
                    e.description, plain(e.configuration.to_json_dict()["kwargs"]), target.query,
                    e.meta["severity"], False, None, None, None, [], f"could not read: {error}")
            for e in target.expectations]


def validate_suite(con: duckdb.DuckDBPyConnection, batches, suite: ExpectationSuite,
                   batch_ids: tuple[int, ...] | None) -> list[Outcome]:
    params = {"batch_ids": None if batch_ids is None else list(batch_ids)} if suite.meta["layer"] == "raw" else None
    outcomes = []
    for target in targets(suite):
        try:
            frame = read_frame(con, target.sql, params)
        except duckdb.Error as error:
            outcomes += unreadable(suite, target, batch_ids, error)
            continue
        batch = batches.get_batch(batch_parameters={"dataframe": frame})
        checked = batch.validate(ExpectationSuite(name=suite.name, expectations=target.expectations))
        outcomes += [outcome(suite, target, frame, result, batch_ids) for result in checked.results]
    return outcomes


Plan = list[tuple[ExpectationSuite, tuple[int, ...] | None]]


def run(home: Home, plan: Plan) -> list[Outcome]:
    """Every expectation of each planned suite on the home's tables, a raw suite on the planned
    batches' events alone (None: every event), in one GX context and one connection."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batches = (context.data_sources.add_pandas("warehouse").add_dataframe_asset("frame")
               .add_batch_definition_whole_dataframe("whole frame"))
    with warehouse(home) as con:
        return [outcome for suite, batch_ids in plan for outcome in validate_suite(con, batches, suite, batch_ids)]


def validate(home: Home, suites: list[ExpectationSuite] | None = None,
             batch_ids: tuple[int, ...] | None = None) -> list[Outcome]:
    """Every expectation of the suites (default: all) on the home's tables; with batch_ids, the raw
    suites see only those batches' events."""
    return run(home, [(suite, batch_ids) for suite in (load_suites() if suites is None else suites)])


def ingested_batches(home: Home) -> dict[str, list[tuple[int, int]]]:
    """Per event table, its ingested batches in order, each with its number of events."""
    with warehouse(home) as con:
        rows = con.execute("select 'events.' || source || '.' || kind, batch_id, "
                           "rows_added + coalesce(events_omitted, 0) from events.ingest.batches "
                           "where status = 'ingested' order by batch_id").fetchall()
    tables: dict[str, list[tuple[int, int]]] = {}
    for table, batch_id, events in rows:
        tables.setdefault(table, []).append((batch_id, events))
    return tables


def frames(batches: list[tuple[int, int]]) -> list[tuple[int, ...]]:
    """Consecutive batches in groups of at most EVENTS_PER_FRAME events (a bigger batch alone): one
    GX validation per group, as each costs a fixed part and pandas holds a group whole."""
    groups: list[tuple[int, ...]] = []
    group: list[int] = []
    size = 0
    for batch_id, events in batches:
        if group and size + events > EVENTS_PER_FRAME:
            groups.append(tuple(group))
            group, size = [], 0
        group.append(batch_id)
        size += events
    return groups + [tuple(group)] if group else groups


def raw_plan(home: Home, suites: list[ExpectationSuite], chosen: Callable[[ExpectationSuite, int], bool]) -> Plan:
    """Each raw suite on the chosen batches of its table."""
    batches = ingested_batches(home)
    return [(suite, ids) for suite in suites if suite.meta["layer"] == "raw"
            for ids in frames([(b, n) for b, n in batches.get(suite.meta["table"], []) if chosen(suite, b)])]


def validate_batches(home: Home, batch_ids: Iterable[int]) -> list[Outcome]:
    """What ingesting checks: the raw suites on the events of the batches just ingested, stored as
    one run. Events are immutable: a later gate checks a batch again only if this run failed."""
    new = set(batch_ids)
    plan = raw_plan(home, load_suites(("raw",)), lambda suite, batch_id: batch_id in new)
    outcomes = run(home, plan) if plan else []
    if outcomes:
        record(home, outcomes)
    return outcomes


def gate_plan(home: Home, suites: list[ExpectationSuite]) -> Plan:
    """Staging and marts suites on their whole tables; a raw suite on the batches of its table that
    no stored run of it (as written now) passed whole."""
    passed = passed_batches(home)
    unchecked = raw_plan(home, suites, lambda suite, batch_id:
                         batch_id not in passed.get((suite.name, suite.meta["digest"]), set()))
    return unchecked + [(suite, None) for suite in suites if suite.meta["layer"] != "raw"]


def blocking_message(failed: list[Outcome], home: Home, consequence: str = "") -> str:
    """Which blocking expectations failed on which table, the first few of them."""
    shown = "; ".join(f"{o.table}: {o.description} ({o.expectation_type}: {o.observed})"
                      for o in failed[:SHOWN_FAILURES])
    more = f"; and {len(failed) - SHOWN_FAILURES} more" if len(failed) > SHOWN_FAILURES else ""
    count = "1 blocking expectation" if len(failed) == 1 else f"{len(failed)} blocking expectations"
    return f"{count} failed{consequence}: {shown}{more}. All results: {results_page(home)}"


def inspect(home: Home, suites: list[ExpectationSuite] | None = None) -> tuple[list[Outcome], str | None]:
    """What the gate validates (see gate_plan) of the suites (default: all), stored as one run;
    returns the outcomes and the run's id (None when there was nothing to validate)."""
    outcomes = run(home, gate_plan(home, load_suites() if suites is None else suites))
    return outcomes, record(home, outcomes) if outcomes else None


def hold_back(home: Home, outcomes: list[Outcome]) -> None:
    """Raises QualityGateFailed naming the blocking expectations that failed, if any did."""
    if failed := [o for o in outcomes if o.blocks]:
        raise QualityGateFailed("quality gate: " + blocking_message(failed, home, ", nothing was published"))


def gate(home: Home, suites: list[ExpectationSuite] | None = None) -> Path:
    """Between build and publish: validates the built warehouse, stores and renders the results,
    and publishes only when no blocking expectation failed (warnings are reported, not blocking).
    Returns the serving database."""
    outcomes, _ = inspect(home, suites)
    hold_back(home, outcomes)
    return publish(home)
