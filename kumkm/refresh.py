"""A refresh in three steps: build (dbt, then the audit's classes), validate (the quality gate),
publish; and the state that tells a refresh with nothing new to do.

`kumkm refresh` and `kumkm demo` run it; Dagster runs the same steps as assets (orchestration/). The
steps come from the modules below this one, none of which imports it: kumkm.warehouse (dbt and
publishing), kumkm.spark (the build on Spark), kumkm.audit, expectations.runner (the suites).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from expectations.runner import Outcome, Suite, blocking_message, inspect
from kumkm.audit import classify_printed
from kumkm.home import Home
from kumkm.spark import build_on_spark
from kumkm.warehouse import Progress, Quarter, RefreshFailed, build, project_digest, publish

# dbt's target (the engine) -> the build step on it
BUILDS = {"local": build, "spark": build_on_spark}


class QualityGateFailed(RefreshFailed):
    """A blocking expectation failed on the built warehouse; nothing was published."""


class NothingNew(Exception):
    """Nothing was ingested, and no model or suite changed, since the refresh that built these
    quarters: the serving database already holds their figures."""

    def __init__(self, known_at: datetime):
        super().__init__(f"nothing new since the refresh as known at {known_at:%Y-%m-%d %H:%M:%S} UTC")
        self.known_at = known_at


def refresh(home: Home, first: Quarter | None = None, last: Quarter | None = None,
            knowledge_time: datetime | None = None, progress: Progress | None = None,
            engine: str = "local") -> datetime:
    """Build, validate, publish: the figures of the quarters (none: all) as known at K (default now),
    built on dbt's target `engine` (BUILDS). Raises NothingNew when the serving database already
    holds them (no K given, nothing ingested, no model or suite changed since, the same engine),
    RefreshFailed when dbt or a blocking expectation fails (then nothing is published)."""
    built = Built(events_watermark(home), project_digest(), quarters_of(first, last), engine=engine)
    if knowledge_time is None and home.serving_db.exists():
        last_built = last_refresh(home)
        if last_built and last_built.covers(built):
            if first:
                quarters_with_data(home.serving_db, built.quarters)
            raise NothingNew(last_built.known_at)
    say = progress or (lambda _: None)
    k = BUILDS[engine](home, first, last, knowledge_time, progress)
    if first:
        quarters_with_data(home.transform_db, built.quarters)
    classify_printed(home, progress, built_with_kept=engine == "local")
    say("quality: validating the suites")
    validate(home)
    say(f"publish: {home.serving_db}")
    publish(home)
    remember(home, built.after(last_refresh(home), k))
    return k


def validate(home: Home, suites: list[Suite] | None = None) -> list[Outcome]:
    """The quality gate between build and publish: the suites (default: all) on the built warehouse
    and the raw batches no stored run passed, stored as one run (expectations.runner.inspect).
    Raises QualityGateFailed when a blocking expectation failed; warnings are stored and shown."""
    outcomes, _ = inspect(home, suites)
    hold_back(home, outcomes)
    return outcomes


def hold_back(home: Home, outcomes: list[Outcome]) -> None:
    """Raises QualityGateFailed naming the blocking expectations that failed, if any did."""
    if failed := [o for o in outcomes if o.blocks]:
        raise QualityGateFailed("quality gate: " + blocking_message(failed, home, ", nothing was published"))


@dataclass(frozen=True)
class Built:
    """What a refresh's figures rest on: the event store's watermark (the last ingested batch, the
    number of retractions), the digest of the models and suites, the quarters built (None: every
    quarter with data) and the engine that built them."""
    watermark: tuple[int, int]
    digest: str
    quarters: frozenset[str] | None
    known_at: datetime | None = None
    engine: str = "local"

    @property
    def state(self) -> tuple:
        """What the figures are computed from and by."""
        return self.watermark, self.digest, self.engine

    def covers(self, wanted: "Built") -> bool:
        return (self.state == wanted.state
                and (self.quarters is None or (wanted.quarters is not None and wanted.quarters <= self.quarters)))

    def after(self, previous: "Built | None", k: datetime) -> "Built":
        """This build as the state of the serving database: quarters built earlier from the same
        events and models still hold."""
        quarters = self.quarters
        if quarters is not None and previous and previous.state == self.state:
            quarters = None if previous.quarters is None else quarters | previous.quarters
        return Built(self.watermark, self.digest, quarters, k, self.engine)


def quarters_with_data(database: Path, wanted: frozenset[str]) -> None:
    """Raises RefreshFailed when the database (built or served) holds none of the quarters asked for:
    the events hold no data of them, and an empty table must not pass for their figures."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        built = {f"{t}Q{q}" for t, q in con.execute(
            "select distinct tahun, triwulan from marts.fct_indicator_quarterly").fetchall()}
    finally:
        con.close()
    if not wanted & built:
        raise RefreshFailed(f"no data for {', '.join(sorted(wanted))}: the event store holds no record of "
                            "it (quarters with data: `kumkm refresh --all`)")


def quarters_of(first: Quarter | None, last: Quarter | None) -> frozenset[str] | None:
    if first is None and last is None:
        return None
    first, last = first or last, last or first
    return frozenset(str(Quarter(t, q)) for t in range(first.tahun, last.tahun + 1) for q in range(1, 5)
                     if (first.tahun, first.triwulan) <= (t, q) <= (last.tahun, last.triwulan))


def events_watermark(home: Home) -> tuple[int, int]:
    """The last batch ingested and the number of batches retracted; raises RefreshFailed on a home
    with nothing ingested."""
    if not home.events_db.exists():
        raise RefreshFailed(f"nothing ingested yet in {home.root}: run `kumkm ingest` first")
    con = duckdb.connect(str(home.events_db), read_only=True)
    try:
        last = con.execute("select max(batch_id) from ingest.batches where status = 'ingested'").fetchone()[0]
        try:
            retracted = con.execute("select count(*) from ingest.retractions").fetchone()[0]
        except duckdb.CatalogException:  # an event store from before retractions
            retracted = 0
    finally:
        con.close()
    if last is None:
        raise RefreshFailed(f"nothing ingested yet in {home.root}: run `kumkm ingest` first")
    return last, retracted


def refresh_state(home: Home) -> Path:
    return home.dbt_target / "last_refresh.json"


def last_refresh(home: Home) -> Built | None:
    try:
        state = json.loads(refresh_state(home).read_text())
        watermark = tuple(state["watermark"])  # before retractions, a number: build again
    except (OSError, ValueError, TypeError):
        return None
    quarters = None if state["quarters"] is None else frozenset(state["quarters"])
    return Built(watermark, state["digest"], quarters, datetime.fromisoformat(state["known_at"]),
                 state.get("engine", "local"))


def remember(home: Home, built: Built) -> None:
    state = {"watermark": built.watermark, "digest": built.digest, "known_at": built.known_at.isoformat(),
             "quarters": None if built.quarters is None else sorted(built.quarters), "engine": built.engine}
    refresh_state(home).parent.mkdir(parents=True, exist_ok=True)  # a home built on Spark alone has no dbt folder
    refresh_state(home).write_text(json.dumps(state))
