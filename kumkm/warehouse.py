"""Build the warehouse with dbt and publish its marts to the serving database.

The same functions serve `kumkm refresh`, `kumkm demo` and the Dagster assets.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path

import duckdb

from expectations.runner import SUITES
from kumkm.clock import utc_now
from kumkm.home import DatabaseInUse, Home
from kumkm.masking import scrubbed

DBT_PROJECT = Path(str(files("kumkm.dbt_project")))  # package data: the repository's dbt_project/ or the wheel's
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


class RefreshFailed(Exception):
    """dbt could not build the warehouse or one of its tests failed; nothing was published."""


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


def dbt_vars(knowledge_time: datetime, first: Quarter | None = None, last: Quarter | None = None) -> dict:
    """The dbt vars of one refresh: knowledge time K, the quarters to build (none: all with data) and
    the project's digest (an incremental model is built whole again when it changed)."""
    return {
        "knowledge_time": knowledge_time.isoformat(sep=" "),
        "quarter_from": str(first) if first else "",
        "quarter_to": str(last) if last else "",
        "project_digest": project_digest(),
    }


def dbt_args(target: Path, command: str, *extra: str) -> list[str]:
    """dbt says nothing on stdout (its failures come back in its result; its log file keeps
    everything): formatting a line of each of its events for stdout costs 0.15 s of CPU at x1
    even when --quiet shows none."""
    return [command, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
            "--target-path", str(target), "--log-path", str(target / "logs"),
            "--log-level", "none", "--log-level-file", "debug", "--no-send-anonymous-usage-stats", *extra]


@contextmanager
def home_in_env(home: Home, transform_db: Path | None = None) -> Iterator[None]:
    """profiles.yml finds the home's databases through KUMKM_HOME, and the transform database
    through KUMKM_TRANSFORM_DB when it is not the home's."""
    wanted = {"KUMKM_HOME": str(home.root), "KUMKM_TRANSFORM_DB": transform_db and str(transform_db)}
    before = {name: os.environ.get(name) for name in wanted}
    try:
        for name, value in wanted.items():
            set_env(name, value)
        yield
    finally:
        for name, value in before.items():
            set_env(name, value)


def set_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def parsed_project(target: Path, manifest_json: bool = False, engine: str = "local"):
    """The project's manifest for the profile's target `engine`. Parsed without vars, so that dbt's
    partial parsing keeps the last parse of this home (a run's vars differ every time and would force
    a full parse). Written to manifest.json only when asked: a build that uses it writes it (0.2 s saved)."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(dbt_args(target, "parse", "--write-json" if manifest_json else "--no-write-json",
                                         "--target", engine))
    if not result.success:
        raise RefreshFailed(f"dbt parse failed: {first_line(result.exception)}")
    return result.result


Progress = Callable[[str], None]


def node_progress(progress: Progress) -> Callable:
    """A dbt callback telling `progress` of every node dbt finishes (model, seed, test)."""
    done = 0

    def on_event(event) -> None:
        nonlocal done
        if event.info.name == "NodeFinished":
            done += 1
            node = event.data.node_info
            progress(f"dbt [{done}] {node.resource_type} {node.node_name}: {node.node_status}")

    return on_event


def run_dbt(home: Home, command: str, variables: dict, *extra: str, scratch: Path | None = None,
            progress: Progress | None = None, on_event: Callable | None = None, engine: str = "local"):
    """dbt in this process, on the parsed manifest with the run's vars, on the profile's target
    `engine` (`spark`: its own dbt folder, home.spark_dbt_target); its log and run_results.json stay in
    the home's dbt folder (or, with `scratch`, builds into scratch/transform.duckdb with its log
    there). `on_event` gets every event dbt logs (dbt's EventMsg). Returns the manifest. Raises
    RefreshFailed naming the models and tests that failed."""
    target = scratch / "dbt" if scratch else home.spark_dbt_target if engine == "spark" else home.dbt_target
    target.mkdir(parents=True, exist_ok=True)
    callbacks = [node_progress(progress)] if progress else []
    if on_event:
        callbacks.append(on_event)
    with home_in_env(home, scratch and scratch / "transform.duckdb"), collector_paused():
        from dbt.cli.main import dbtRunner

        manifest = parsed_project(target, engine=engine)
        result = dbtRunner(manifest=manifest, callbacks=callbacks).invoke(
            dbt_args(target, command, "--vars", json.dumps(variables), "--no-write-json", "--target", engine, *extra))
    if engine == "local":
        close_transform_db()
    if hasattr(result.result, "write"):  # the run's results; not the manifest dbt writes with them (0.2 s)
        result.result.write(str(target / "run_results.json"))
    if not result.success:
        raise DatabaseInUse.of(dbt_messages(result)) or RefreshFailed(f"dbt {command} failed: {failures(result)}")
    return manifest


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while dbt runs: dbt makes millions of long-lived objects,
    which every collection walks again, and little cyclic garbage (0.35 s of a refresh at x1 in
    collections, against some 30 MB more resident at the end)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


def dbt_messages(result) -> str:
    """Everything dbt said went wrong, in one text."""
    results = [] if result.result is None or result.exception is not None else result.result.results
    return "\n".join([str(result.exception)] + [str(r.message) for r in results if r.status in ("error", "fail")])


def first_line(error: object) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return scrubbed(lines[0]) if lines else "unknown error"


def build(home: Home, first: Quarter | None = None, last: Quarter | None = None,
          knowledge_time: datetime | None = None, progress: Progress | None = None) -> datetime:
    """One `dbt build` for the quarter range; returns the knowledge time it used. The seeds are loaded
    only when they changed since they were last loaded into the transform database, and the catalogue
    (the seeds, the models built from them alone and their tests) is left out when nothing in the
    project changed since it was built: a build then runs what is built from the events."""
    k = knowledge_time or utc_now()
    full = [] if first or last else ["--full-refresh"]
    state = catalogue_state(home)
    built = state.read_text().split() if home.transform_db.exists() and state.exists() else []
    now = [seeds_digest(), project_digest()]
    unchanged = (["--select", "source:*+"] if built == now else
                 ["--exclude-resource-type", "seed"] if built[:1] == now[:1] else [])
    run_dbt(home, "build", dbt_vars(k, first, last), *full, *unchanged, progress=progress)
    state.write_text("\n".join(now))
    return k


def seeds_digest() -> str:
    """Of the seed files and the project file that types them."""
    digest = hashlib.sha256((DBT_PROJECT / "dbt_project.yml").read_bytes())
    for path in sorted((DBT_PROJECT / "seeds").rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def catalogue_state(home: Home) -> Path:
    """The digests of the seeds and of the project the transform database's catalogue was built with."""
    return home.dbt_target / "catalogue_built"


# The oldest storage format DuckDB 2.0 writes: every DuckDB 1.x (DBeaver's, Metabase's driver, an
# older shell) opens the serving file.
SERVING_STORAGE_VERSION = "v1.0.0"


def publish(home: Home, marts_from_serving: bool = False, rebuilt: tuple[str, ...] = ()) -> Path:
    """Copies the marts into a new serving file and swaps it in: a reader sees the old or the new.
    With marts_from_serving, the marts come from the serving file itself but for the `rebuilt` ones."""
    staging = home.serving_db.with_name(home.serving_db.name + ".new")
    staging.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach $path as serving (storage_version '{SERVING_STORAGE_VERSION}')", {"path": str(staging)})
        con.execute("attach $path as transform (read_only)", {"path": str(home.transform_db)})
        if marts_from_serving:
            con.execute("attach $path as served (read_only)", {"path": str(home.serving_db)})
        con.execute("create schema serving.marts")
        for catalog, table in mart_sources(con, marts_from_serving, rebuilt):
            con.execute(f"create table serving.marts.{table} as select * from {catalog}.marts.{table}")
    finally:
        con.close()
    os.replace(staging, home.serving_db)
    return home.serving_db


def mart_sources(con: duckdb.DuckDBPyConnection, marts_from_serving: bool,
                 rebuilt: tuple[str, ...]) -> list[tuple[str, str]]:
    """(catalog, table) of every mart the new serving file gets."""
    tables = [t for (t,) in con.execute("select table_name from information_schema.tables where "
                                        "table_catalog = 'transform' and table_schema = 'marts' order by 1").fetchall()]
    if not marts_from_serving:
        return [("transform", t) for t in tables]
    served = [t for (t,) in con.execute("select table_name from information_schema.tables where "
                                        "table_catalog = 'served' and table_schema = 'marts' order by 1").fetchall()]
    return [("served", t) for t in served if t not in rebuilt] + [("transform", t) for t in rebuilt]


def project_digest() -> str:
    """Of every file that shapes the figures and their checks: the dbt project and the suites."""
    digest = hashlib.sha256()
    for folder in (DBT_PROJECT, SUITES):
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if (path.is_file() and relative.parts[0] not in ("target", "logs") and path.name != ".user.yml"
                    and "__pycache__" not in relative.parts):
                digest.update(f"{folder.name}/{relative}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class NotKnownYet(Exception):
    """The knowledge time asked for lies before the first event the store recorded."""


# What a quarter's figures as known at K need: the quarterly indicator and budget marts.
AS_KNOWN_AT_MODELS = ("+fct_indicator_quarterly", "+fct_budget_quarterly", "+dim_indicator")  # the report reads decimals from dim_indicator


@contextmanager
def built_as_known_at(home: Home, quarter: Quarter, knowledge_time: datetime,
                      models: tuple[str, ...] = AS_KNOWN_AT_MODELS, variables: dict | None = None) -> Iterator[Path]:
    """The quarter's `models` rebuilt from the events known at K (with more dbt `variables`) into a
    scratch transform database (the home's transform and serving databases are left as they are);
    yields its path."""
    first = first_ingested_at(home)
    if first is None or knowledge_time < first:
        raise NotKnownYet(f"nothing was known at {knowledge_time:%Y-%m-%d %H:%M:%S} UTC: the first event was "
                          + (f"ingested at {first:%Y-%m-%d %H:%M:%S} UTC" if first else "never ingested"))
    with scratch_build(home, {**dbt_vars(knowledge_time, quarter, quarter), **(variables or {})}, *models) as rebuilt:
        yield rebuilt


@contextmanager
def scratch_build(home: Home, variables: dict, *models: str) -> Iterator[Path]:
    """The models built with these vars, without their tests, into a scratch transform database that
    is removed after; yields its path. The home's databases are left as they are."""
    scratch = Path(tempfile.mkdtemp(prefix="kumkm-scratch-"))
    try:
        parse_state = home.dbt_target / "partial_parse.msgpack"
        if parse_state.exists():
            (scratch / "dbt").mkdir()
            shutil.copy2(parse_state, scratch / "dbt")
        run_dbt(home, "build", variables, "--select", *models, "--exclude-resource-type", "test", scratch=scratch)
        yield scratch / "transform.duckdb"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def first_ingested_at(home: Home) -> datetime | None:
    """When the first event that counts in figures was ingested (None: never)."""
    if not home.events_db.exists():
        return None
    from ingestion.contract import KINDS

    firsts = " union all ".join(f"select min(ingested_at) as first from {kind.table}" for kind in KINDS.values())
    con = duckdb.connect(str(home.events_db), read_only=True)
    try:
        return con.execute(f"select min(first) from ({firsts})").fetchone()[0]
    finally:
        con.close()
