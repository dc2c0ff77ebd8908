"""Build the warehouse with dbt and publish its marts to the serving database.

The same functions serve `kumkm refresh`, `kumkm demo` and the Dagster assets.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from kumkm.home import Home

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


class RefreshFailed(Exception):
    """dbt could not build the warehouse or one of its tests failed; nothing was published."""


class NothingNew(Exception):
    """Nothing was ingested, and no model or suite changed, since the refresh that built these
    quarters: the serving database already holds their figures."""

    def __init__(self, known_at: datetime):
        super().__init__(f"nothing new since the refresh as known at {known_at:%Y-%m-%d %H:%M:%S} UTC")
        self.known_at = known_at


@dataclass(frozen=True)
class Quarter:
    tahun: int
    triwulan: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        m = _QUARTER.match(text.strip().upper())
        if not m:
            raise ValueError(f"{text!r} is not a quarter like 2025Q4")
        return cls(int(m[1]), int(m[2]))

    def __str__(self) -> str:
        return f"{self.tahun}Q{self.triwulan}"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def dbt_vars(knowledge_time: datetime, first: Quarter | None = None, last: Quarter | None = None) -> dict:
    """The dbt vars of one refresh: knowledge time K and the quarters to build (none: all with data)."""
    return {
        "knowledge_time": knowledge_time.isoformat(sep=" "),
        "quarter_from": str(first) if first else "",
        "quarter_to": str(last) if last else "",
    }


def dbt_args(home: Home, command: str, *extra: str) -> list[str]:
    return [command, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
            "--target-path", str(home.dbt_target), "--log-path", str(home.dbt_target / "logs"),
            "--quiet", "--no-send-anonymous-usage-stats", *extra]


@contextmanager
def home_in_env(home: Home) -> Iterator[None]:
    """profiles.yml finds the home's databases through KUMKM_HOME."""
    before = os.environ.get("KUMKM_HOME")
    os.environ["KUMKM_HOME"] = str(home.root)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("KUMKM_HOME")
        else:
            os.environ["KUMKM_HOME"] = before


def parsed_project(home: Home):
    """The project's manifest. Parsed without vars, so that dbt's partial parsing keeps the last
    parse of this home (a run's vars differ every time and would force a full parse)."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(dbt_args(home, "parse"))
    if not result.success:
        raise RefreshFailed(f"dbt parse failed: {first_line(result.exception)}")
    return result.result


def run_dbt(home: Home, command: str, variables: dict, *extra: str) -> None:
    """dbt in this process, on the parsed manifest with the run's vars; its log stays in the home's
    dbt folder. Raises RefreshFailed naming the models and tests that failed."""
    from dbt.cli.main import dbtRunner

    home.dbt_target.mkdir(parents=True, exist_ok=True)
    with home_in_env(home):
        manifest = parsed_project(home)
        result = dbtRunner(manifest=manifest).invoke(
            dbt_args(home, command, "--vars", json.dumps(variables), *extra))
    close_transform_db()
    if not result.success:
        raise RefreshFailed(f"dbt {command} failed: {failures(result)}")


def close_transform_db() -> None:
    """dbt-duckdb keeps its database open in the process after an invocation; the gate and publish
    attach it read-only next, which DuckDB refuses while it is open read-write."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
        DuckDBConnectionManager.close_all_connections()


def failures(result) -> str:
    if result.exception is not None or result.result is None:
        return first_line(result.exception)
    failed = [f"{r.node.resource_type} {r.node.name}: {first_line(r.message)}"
              for r in result.result.results if r.status in ("error", "fail")]
    more = f"; and {len(failed) - 10} more" if len(failed) > 10 else ""
    return "; ".join(failed[:10]) + more


def first_line(error: object) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0][:300] if lines else "unknown error"


def build(home: Home, first: Quarter | None = None, last: Quarter | None = None,
          knowledge_time: datetime | None = None) -> datetime:
    """One `dbt build` for the quarter range; returns the knowledge time it used."""
    k = knowledge_time or utc_now()
    full = [] if first or last else ["--full-refresh"]
    run_dbt(home, "build", dbt_vars(k, first, last), *full)
    return k


def publish(home: Home) -> Path:
    """Copies the marts into a new serving file and swaps it in: a reader sees the old or the new."""
    staging = home.serving_db.with_name(home.serving_db.name + ".new")
    staging.unlink(missing_ok=True)
    con = duckdb.connect(str(staging))
    try:
        con.execute(f"attach '{home.transform_db}' as transform (read_only)")
        con.execute("create schema marts")
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'transform' and table_schema = 'marts' order by 1").fetchall()]
        for table in tables:
            con.execute(f"create table marts.{table} as select * from transform.marts.{table}")
        con.execute("detach transform")
    finally:
        con.close()
    os.replace(staging, home.serving_db)
    return home.serving_db


def refresh(home: Home, first: Quarter | None = None, last: Quarter | None = None,
            knowledge_time: datetime | None = None) -> datetime:
    """Build, validate, publish: the figures of the quarters (none: all) as known at K (default now).
    Raises NothingNew when the serving database already holds them (no K given, nothing ingested,
    no model or suite changed since), RefreshFailed when dbt or a blocking expectation fails (then
    nothing is published)."""
    built = Built(events_watermark(home), project_digest(), quarters_of(first, last))
    if knowledge_time is None and home.serving_db.exists():
        last_built = last_refresh(home)
        if last_built and last_built.covers(built):
            raise NothingNew(last_built.known_at)
    from expectations.runner import hold_back, inspect

    k = build(home, first, last, knowledge_time)
    outcomes, _ = inspect(home)
    hold_back(home, outcomes)
    publish(home)
    remember(home, built.after(last_refresh(home), k))
    return k


SUITES = Path(__file__).resolve().parent.parent / "expectations" / "suites"


@dataclass(frozen=True)
class Built:
    """What a refresh's figures rest on: the last ingested batch, the digest of the models and
    suites, and the quarters built (None: every quarter with data)."""
    watermark: int
    digest: str
    quarters: frozenset[str] | None
    known_at: datetime | None = None

    def covers(self, wanted: "Built") -> bool:
        return ((self.watermark, self.digest) == (wanted.watermark, wanted.digest)
                and (self.quarters is None or (wanted.quarters is not None and wanted.quarters <= self.quarters)))

    def after(self, previous: "Built | None", k: datetime) -> "Built":
        """This build as the state of the serving database: quarters built earlier from the same
        events and models still hold."""
        quarters = self.quarters
        if quarters is not None and previous and (previous.watermark, previous.digest) == (self.watermark, self.digest):
            quarters = None if previous.quarters is None else quarters | previous.quarters
        return Built(self.watermark, self.digest, quarters, k)


def quarters_of(first: Quarter | None, last: Quarter | None) -> frozenset[str] | None:
    if first is None and last is None:
        return None
    first, last = first or last, last or first
    return frozenset(str(Quarter(t, q)) for t in range(first.tahun, last.tahun + 1) for q in range(1, 5)
                     if (first.tahun, first.triwulan) <= (t, q) <= (last.tahun, last.triwulan))


def events_watermark(home: Home) -> int:
    """The last batch ingested; raises RefreshFailed on a home with nothing ingested."""
    if not home.events_db.exists():
        raise RefreshFailed(f"nothing ingested yet in {home.root}: run `kumkm ingest` first")
    con = duckdb.connect(str(home.events_db), read_only=True)
    try:
        last = con.execute("select max(batch_id) from ingest.batches where status = 'ingested'").fetchone()[0]
    finally:
        con.close()
    if last is None:
        raise RefreshFailed(f"nothing ingested yet in {home.root}: run `kumkm ingest` first")
    return last


def project_digest() -> str:
    """Of every file that shapes the figures and their checks: the dbt project and the suites."""
    digest = hashlib.sha256()
    for folder in (DBT_PROJECT, SUITES):
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_file() and relative.parts[0] not in ("target", "logs") and path.name != ".user.yml":
                digest.update(f"{folder.name}/{relative}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def refresh_state(home: Home) -> Path:
    return home.dbt_target / "last_refresh.json"


def last_refresh(home: Home) -> Built | None:
    try:
        state = json.loads(refresh_state(home).read_text())
    except (OSError, ValueError):
        return None
    quarters = None if state["quarters"] is None else frozenset(state["quarters"])
    return Built(state["watermark"], state["digest"], quarters, datetime.fromisoformat(state["known_at"]))


def remember(home: Home, built: Built) -> None:
    state = {"watermark": built.watermark, "digest": built.digest, "known_at": built.known_at.isoformat(),
             "quarters": None if built.quarters is None else sorted(built.quarters)}
    refresh_state(home).write_text(json.dumps(state))
