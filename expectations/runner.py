"""The quality gate: the Great Expectations suites of `expectations/suites/` evaluated in DuckDB.
What it finds is stored here (`expectations.results`); what it stops is decided by the refresh
(`kumkm.refresh.validate`, between build and publish).

The suites are GX 1.24 JSON and stay the contract; they run as SQL (`expectations.sql`) without
importing GX or pandas, which cost seconds on every `kumkm ingest`. All expectations on a suite's
table (for a raw suite, the events of the batches checked) are counted in one aggregate scan of it;
only a failed one then reads a sample of the rows breaking it. tests/test_gx_conformance.py runs
every suite through GX itself, on pandas frames as GX validates them, and through this, on the
sample warehouse and on broken data, and requires the same results.

A suite file is GX's own JSON plus, in its `meta`, the `layer` and `table` it checks and the `key`
columns that identify a row in the samples of what failed. Every expectation carries
`meta.severity`: `blocking` (a failure stops publishing) or `warning`. Where a built-in expectation
cannot say a rule, `meta.query` names a `.sql` file under `suites/` that returns the rows breaking
it, and the expectation (`expect_table_row_count_to_equal`) counts them; a file several suites share
(`row_count_holds.sql`) reads `{table}`, the suite's table.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from expectations.results import passed_batches, record, results_db, results_page
from expectations.sql import Rule, SuiteError, Verdict, quoted, rule
from kumkm.home import Home
from kumkm.masking import PERSONAL_COLUMNS, mask

SUITES = Path(__file__).resolve().parent / "suites"
LAYERS = ("raw", "staging", "marts")
SEVERITIES = ("blocking", "warning")
SAMPLE_ROWS = 5
SHOWN_FAILURES = 5


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
    missing_count: int | None = None  # as GX reports it: null rows, or rows ignore_row_if left out

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
        if self.unexpected_count is not None and self.element_count is None:  # distinct values to equal set
            return f"{self.unexpected_count} outside the set, {self.missing_count} of the set absent"
        if self.unexpected_count is not None:
            return f"{self.unexpected_count} of {self.element_count} rows unexpected"
        return f"observed {json.dumps(self.observed_value)}"


def column_of(kwargs: dict) -> str | None:
    """The column an expectation is about, or its columns joined by commas."""
    columns = kwargs.get("column_list") or [kwargs[c] for c in ("column", "column_A", "column_B") if c in kwargs]
    return ", ".join(columns) or None


@dataclass(frozen=True)
class Expectation:
    """One expectation of a suite file, as GX's JSON writes it."""
    type: str
    kwargs: dict
    description: str
    meta: dict

    @property
    def severity(self) -> str:
        return self.meta["severity"]

    @property
    def query(self) -> str | None:
        return self.meta.get("query")


@dataclass(frozen=True)
class Suite:
    """A suite file: its `meta` (layer, table, key, about) gains the digest of its files as loaded."""
    name: str
    meta: dict
    expectations: list[Expectation]

    @property
    def layer(self) -> str:
        return self.meta["layer"]

    @property
    def table(self) -> str:
        return self.meta["table"]

    @property
    def key(self) -> list[str]:
        return self.meta.get("key", [])


EXPECTATION_FIELDS = {"type", "kwargs", "description", "meta"}


def expectation(spec: object) -> Expectation:
    """An expectation that runs as written, or SuiteError: an unknown type or argument, a missing
    severity or query file."""
    if not (isinstance(spec, dict) and EXPECTATION_FIELDS <= set(spec) <= EXPECTATION_FIELDS | {"notes", "id"}):
        raise SuiteError(f"an expectation has exactly {', '.join(sorted(EXPECTATION_FIELDS))} (and notes, id)")
    found = Expectation(spec["type"], spec["kwargs"], spec["description"], spec["meta"])
    try:
        if not isinstance(found.meta, dict) or found.meta.get("severity") not in SEVERITIES:
            raise SuiteError(f"needs meta.severity {' or '.join(SEVERITIES)}")
        if found.query is not None:
            derived(found)
        rule(found.type, found.kwargs)
    except SuiteError as error:
        raise SuiteError(f"{found.description!r}: {error}") from None
    return found


def derived(found: Expectation) -> None:
    """A derived query's expectation counts the rows it returns."""
    if (found.type, set(found.kwargs)) != ("expect_table_row_count_to_equal", {"value"}):
        raise SuiteError("the expectation on a derived query is expect_table_row_count_to_equal with a value")
    if not (SUITES / found.query).is_file():
        raise SuiteError(f"query file {found.query} is missing")


def load_suite(path: Path) -> Suite:
    """A suite file whose every expectation runs as written (an unknown type is an error here, where
    GX itself would drop it with a log line), with the digest of its files: a batch checked by an
    older suite is checked again."""
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
        name, meta = spec["name"], spec["meta"]
        if meta.get("layer") not in LAYERS or not isinstance(meta.get("table"), str):
            raise SuiteError(f"meta needs a layer ({', '.join(LAYERS)}) and a table")
        expectations = [expectation(e) for e in spec["expectations"]]
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise SuiteError(f"{path.name}: not a suite file ({type(error).__name__}: {error})") from None
    except SuiteError as error:
        raise SuiteError(f"{path.name}: {error}") from None
    queries = sorted({e.query for e in expectations if e.query})
    text = path.read_bytes() + b"".join((SUITES / q).read_bytes() for q in queries)
    return Suite(name, {**meta, "digest": hashlib.sha256(text).hexdigest()[:16]}, expectations)


def load_suites(layers: tuple[str, ...] = LAYERS) -> list[Suite]:
    paths = sorted(SUITES.glob("*.json"))
    if not paths:  # a gate without suites would pass everything
        raise SuiteError(f"no suite files in {SUITES}")
    return [suite for suite in map(load_suite, paths) if suite.layer in layers]


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


def table_sql(suite: Suite, batch_ids: tuple[int, ...] | None) -> str:
    """The suite's table; a raw suite's, the events of the batches checked (None: all)."""
    if suite.layer != "raw" or batch_ids is None:
        return f"select * from {suite.table}"
    return f"select * from {suite.table} where batch_id in ({', '.join(map(str, batch_ids)) or 'null'})"


def query_sql(suite: Suite, query: str) -> str:
    """A derived query's SQL; a query file several suites share names their table `{table}`."""
    return (SUITES / query).read_text(encoding="utf-8").replace("{table}", suite.table)


@contextmanager
def warehouse(home: Home) -> Iterator[duckdb.DuckDBPyConnection]:
    """The event store and the transform database, read-only, in one connection: the staging views
    read the event store under the name dbt gives it, `events`. DuckDB would draw its progress bar
    on the command's output during a long scan."""
    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        if home.events_db.exists():
            con.execute("attach $path as events (read_only)", {"path": str(home.events_db)})
        if home.transform_db.exists():
            con.execute("attach $path as transform (read_only)", {"path": str(home.transform_db)})
            con.execute("use transform")
        yield con
    finally:
        con.close()


def plain(value: object) -> object:
    """A value as JSON can hold it."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # dates, times, decimals


def masked(column: str | None, value: object) -> object:
    value = plain(value)
    return mask(str(value)) if column in PERSONAL_COLUMNS and value is not None else value


def distinct_names(names: list[str]) -> list[str]:
    """Column names made distinct as DuckDB's own relations do (a query may select `kode` twice)."""
    seen: dict[str, int] = {}
    distinct = []
    for name in names:
        distinct.append(f"{name}_{seen[name]}" if name in seen else name)
        seen[name] = seen.get(name, 0) + 1
    return distinct


def fetched_rows(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    """Up to SAMPLE_ROWS rows of a query, personal data masked by the name it has in the query."""
    names = [d[0] for d in cursor.description]
    return [{key: masked(name, value) for key, name, value in zip(distinct_names(names), names, row)}
            for row in cursor.fetchmany(SAMPLE_ROWS)]


def scan(con: duckdb.DuckDBPyConnection, relation: str, rules: list[Rule], params: dict | None = None) -> list:
    """Every rule's aggregates over the relation, in one scan of it."""
    aggregates = ", ".join(a for r in rules for a in r.aggregates)
    values = iter(con.execute(f"with target as not materialized (\n{relation}\n) select {aggregates} from target",
                              params).fetchone())
    return [tuple(next(values) for _ in r.aggregates) for r in rules]


def measured(con: duckdb.DuckDBPyConnection, relation: str, rules: list[Rule], params: dict | None = None) -> list:
    """Each rule's aggregate values, or the error DuckDB raised on it: when the one scan fails, each
    rule is scanned alone, so that an error fails only the expectation it comes from."""
    try:
        return scan(con, relation, rules, params)
    except duckdb.Error as error:
        if len(rules) == 1:
            return [error]
        return [value for r in rules for value in measured(con, relation, [r], params)]


def outcome(suite: Suite, expectation: Expectation, batch_ids: tuple[int, ...] | None, verdict: Verdict,
            sample: list | None = None, exception: str | None = None) -> Outcome:
    return Outcome(suite.name, suite.layer, suite.table, batch_ids, suite.meta["digest"], expectation.type,
                   expectation.description, expectation.kwargs, expectation.query, expectation.severity,
                   verdict.success, plain(verdict.observed_value), verdict.element_count, verdict.unexpected_count,
                   sample or [], exception, verdict.missing_count)


def failed(suite: Suite, expectation: Expectation, batch_ids: tuple[int, ...] | None, why: str) -> Outcome:
    """An expectation that could not be evaluated fails, with the first line of why (DuckDB's errors
    go on with hints and the SQL)."""
    return outcome(suite, expectation, batch_ids, Verdict(False), exception=why.splitlines()[0])


def compiled(expectation: Expectation, types: dict[str, str]) -> Rule | SuiteError:
    """The expectation's rule on a table of these column types, or why it cannot run there as GX
    would (it then fails alone)."""
    try:
        return rule(expectation.type, expectation.kwargs, types)
    except SuiteError as error:
        return error


def table_outcomes(con: duckdb.DuckDBPyConnection, suite: Suite, expectations: list[Expectation],
                   batch_ids: tuple[int, ...] | None) -> list[Outcome]:
    """The suite's own expectations on its table, counted in one scan."""
    relation = table_sql(suite, batch_ids)
    try:
        types = {name: kind for name, kind, *_ in con.execute(f"describe {relation}").fetchall()}
    except duckdb.Error as error:
        return [failed(suite, e, batch_ids, f"could not read: {error}") for e in expectations]
    rules = [compiled(e, types) for e in expectations]
    counts = iter(measured(con, relation, [r for r in rules if isinstance(r, Rule)]))
    outcomes = []
    for e, r in zip(expectations, rules):
        values = next(counts) if isinstance(r, Rule) else r
        if isinstance(values, (SuiteError, duckdb.Error)):
            outcomes.append(failed(suite, e, batch_ids, f"could not evaluate: {values}"))
        else:
            outcomes.append(table_outcome(con, suite, e, r, values, types, batch_ids))
    return outcomes


def table_outcome(con: duckdb.DuckDBPyConnection, suite: Suite, expectation: Expectation, judged: Rule,
                  counts: tuple, types: dict[str, str], batch_ids: tuple[int, ...] | None) -> Outcome:
    """The expectation judged by its counts; when it failed, a few of the rows breaking it (their
    key columns and those it checks) or values (outside a set)."""
    verdict = judged.judge(counts)
    if verdict.success or judged.breaking is None:
        return outcome(suite, expectation, batch_ids, verdict)
    named = suite.key + sorted(columns_named(expectation.kwargs) - set(suite.key))
    shown = ", ".join(quoted(c) for c in named if c in types)
    return outcome(suite, expectation, batch_ids, verdict, fetched_rows(con.execute(
        f"with target as not materialized (\n{table_sql(suite, batch_ids)}\n) {judged.breaking(shown)} "
        f"limit {SAMPLE_ROWS}")))


def query_outcome(con: duckdb.DuckDBPyConnection, suite: Suite, expectation: Expectation,
                  batch_ids: tuple[int, ...] | None) -> Outcome:
    """A derived query's expectation: the rows it returns counted, the first few of them sampled
    when they break it. A raw suite's query reads `$batch_ids` (null: every event)."""
    sql = query_sql(suite, expectation.query)
    params = {"batch_ids": None if batch_ids is None else list(batch_ids)} if suite.layer == "raw" else None
    row_count = rule(expectation.type, expectation.kwargs)
    counts, = measured(con, sql, [row_count], params)
    if isinstance(counts, duckdb.Error):
        return failed(suite, expectation, batch_ids, f"could not read: {counts}")
    verdict = row_count.judge(counts)
    return outcome(suite, expectation, batch_ids, verdict,
                   None if verdict.success else fetched_rows(con.execute(sql, params)))


def validate_suite(con: duckdb.DuckDBPyConnection, suite: Suite, batch_ids: tuple[int, ...] | None) -> list[Outcome]:
    own = [e for e in suite.expectations if e.query is None]
    return ((table_outcomes(con, suite, own, batch_ids) if own else [])
            + [query_outcome(con, suite, e, batch_ids) for e in suite.expectations if e.query is not None])


Plan = list[tuple[Suite, tuple[int, ...] | None]]


def run(home: Home, plan: Plan) -> list[Outcome]:
    """Every expectation of each planned suite on the home's tables, a raw suite on the planned
    batches' events alone (None: every event), in one connection."""
    with warehouse(home) as con:
        return [outcome for suite, batch_ids in plan for outcome in validate_suite(con, suite, batch_ids)]


def validate(home: Home, suites: list[Suite] | None = None,
             batch_ids: tuple[int, ...] | None = None) -> list[Outcome]:
    """Every expectation of the suites (default: all) on the home's tables; with batch_ids, the raw
    suites see only those batches' events."""
    return run(home, [(suite, batch_ids) for suite in (load_suites() if suites is None else suites)])


BATCHES = ("select 'events.' || source || '.' || kind, batch_id, rows_added + coalesce(events_omitted, 0) "
           "from events.ingest.batches where status = 'ingested' {and_not_retracted} order by batch_id")


def ingested_batches(home: Home) -> dict[str, list[tuple[int, int]]]:
    """Per event table, its ingested batches in order, each with its number of events; a retracted
    batch counts in no figure, and is not checked."""
    with warehouse(home) as con:
        try:
            rows = con.execute(BATCHES.format(
                and_not_retracted="and batch_id not in (select batch_id from events.ingest.retractions)")).fetchall()
        except duckdb.CatalogException:  # an event store from before retractions
            rows = con.execute(BATCHES.format(and_not_retracted="")).fetchall()
    tables: dict[str, list[tuple[int, int]]] = {}
    for table, batch_id, events in rows:
        tables.setdefault(table, []).append((batch_id, events))
    return tables


def stored_raw_outcomes(home: Home, batch_ids: list[int]) -> list[Outcome]:
    """The outcomes of the latest stored run of each raw suite that validated any of the batches
    (as `kumkm ingest` stores them)."""
    if not batch_ids or not results_db(home).exists():
        return []
    con = duckdb.connect(str(results_db(home)), read_only=True)
    try:
        rows = con.execute(
            "select suite, layer, table_name, batch_ids, suite_digest, expectation_type, description, kwargs, query, "
            "severity, success, observed_value, element_count, unexpected_count, unexpected_sample, exception "
            "from results where layer = 'raw' and list_has_any(batch_ids, $ids) "
            "qualify run_id = arg_max(run_id, validated_at) over (partition by suite)",
            {"ids": batch_ids}).fetchall()
    finally:
        con.close()
    return [Outcome(suite, layer, table, tuple(ids), digest, kind, description, json.loads(kwargs), query, severity,
                    success, json.loads(observed), elements, unexpected, json.loads(sample), exception)
            for (suite, layer, table, ids, digest, kind, description, kwargs, query, severity, success, observed,
                 elements, unexpected, sample, exception) in rows]


def raw_plan(home: Home, suites: list[Suite], chosen: Callable[[Suite, int], bool]) -> Plan:
    """Each raw suite on the chosen batches of its table, all in one scan."""
    batches = ingested_batches(home)
    plan = [(suite, tuple(b for b, _ in batches.get(suite.table, []) if chosen(suite, b)))
            for suite in suites if suite.layer == "raw"]
    return [(suite, ids) for suite, ids in plan if ids]


def validate_batches(home: Home, batch_ids: Iterable[int]) -> list[Outcome]:
    """What ingesting checks: the raw suites on the events of the batches just ingested, stored as
    one run. Events are immutable: a later gate checks a batch again only if this run failed."""
    new = set(batch_ids)
    plan = raw_plan(home, load_suites(("raw",)), lambda suite, batch_id: batch_id in new)
    outcomes = run(home, plan) if plan else []
    if outcomes:
        record(home, outcomes)
    return outcomes


def gate_plan(home: Home, suites: list[Suite]) -> Plan:
    """Staging and marts suites on their whole tables; a raw suite on the batches of its table that
    no stored run of it (as written now) passed whole."""
    passed = passed_batches(home)
    unchecked = raw_plan(home, suites, lambda suite, batch_id:
                         batch_id not in passed.get((suite.name, suite.meta["digest"]), set()))
    return unchecked + [(suite, None) for suite in suites if suite.layer != "raw"]


def blocking_message(failed: list[Outcome], home: Home, consequence: str = "") -> str:
    """Which blocking expectations failed on which table, the first few of them."""
    shown = "; ".join(f"{o.table}: {o.description} ({o.expectation_type}: {o.observed})"
                      for o in failed[:SHOWN_FAILURES])
    more = f"; and {len(failed) - SHOWN_FAILURES} more" if len(failed) > SHOWN_FAILURES else ""
    count = "1 blocking expectation" if len(failed) == 1 else f"{len(failed)} blocking expectations"
    return f"{count} failed{consequence}: {shown}{more}. All results: {results_page(home)}"


def inspect(home: Home, suites: list[Suite] | None = None) -> tuple[list[Outcome], str | None]:
    """What the gate validates (see gate_plan) of the suites (default: all), stored as one run;
    returns the outcomes and the run's id (None when there was nothing to validate)."""
    outcomes = run(home, gate_plan(home, load_suites() if suites is None else suites))
    return outcomes, record(home, outcomes) if outcomes else None
