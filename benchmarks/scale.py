"""Scale benchmark: the sample's event store copied N times, its sizes, and a full build's time and memory on DuckDB
(`kumkm refresh --all`) and on Spark (dbt's `spark` target, local mode).

Run: .venv/bin/python benchmarks/scale.py --scale 1 100 [--spark 1 100] [--work DIR]. Each scale gets a fresh
KUMKM_HOME, DIR/x<N> (default DIR /tmp/kumkm-scale, outside the repository). ×1 is the sample: its exports written
(kumkm.sample_data) and ingested with `kumkm ingest`; ×N (N > 1) is DIR/x1's event store copied N times in DuckDB SQL
as benchmarks/refresh.py copies it (every copy its own cooperatives, businesses, activities, facilitations and
payments), then each batch validated with its raw suite as `kumkm ingest` would (DIR/x1 is made first if missing).
On each home it measures, each in a child process (wall time, CPU time and peak resident set of the process tree):
`kumkm refresh --all` from scratch, `kumkm export-events` into a fresh folder, and for the scales named by --spark,
`dbt build --target spark` (seeds and models; tests left out) from that folder in a fresh Spark warehouse. Then it
counts the events per table and sizes every file. Each scale's figures are appended as a JSON line to
DIR/scale.jsonl; DIR/scale.md is rewritten from all of them (the latest of each scale and DuckDB memory limit)
and printed. The engines' settings come from the environment, as for kumkm: KUMKM_DUCKDB_MEMORY_LIMIT,
KUMKM_SPARK_MASTER, KUMKM_SPARK_DRIVER_MEMORY (recorded with the figures). docs/scale.md is written from them.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path

from refresh import (KUMKM, PARSE_PROJECT, REPLICATE, ROOT, VALIDATE_AS_INGESTED, Run, code_hash, commit,
                     duckdb_child, load, machine, mib, refresh_from_scratch, run, run_results, spent)

DBT = str(Path(sys.executable).parent / "dbt")
DBT_PROJECT = ROOT / "dbt_project"
EVENT_SCHEMAS = ("ods", "sip3", "ledger", "manual")
WRITE_SAMPLE = "import sys; from kumkm.sample_data import write_sample_exports; write_sample_exports(sys.argv[1])"
PACKAGES = ("duckdb", "dbt-core", "dbt-duckdb", "dbt-spark", "pyspark")
# What a home holds, by file or folder: the sizes measured.
FILES = {"landing exports": "landing", "events.duckdb": "events.duckdb", "Parquet export": "events_parquet",
         "transform.duckdb": "transform.duckdb", "serving.duckdb": "serving.duckdb",
         "Spark warehouse": "spark/warehouse"}
STEPS = ("make", "validate", "refresh", "export", "spark")
STEP_NAMES = {"make": "make the store (×1: `kumkm ingest`; ×N: a copy in SQL)",
              "validate": "raw suites, every batch", "refresh": "`kumkm refresh --all`",
              "export": "`kumkm export-events`", "spark": "Spark `dbt build`"}


def size(path: Path) -> int | None:
    """Bytes on disk of a file or a folder's files; None when absent."""
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return None


def events(home: Path) -> dict[str, int]:
    """Events per event table of the home's store."""
    tables = duckdb_child(home / "events.duckdb", queries={"tables": (
        "select table_schema || '.' || table_name from information_schema.tables "
        f"where table_schema in {EVENT_SCHEMAS} and table_type = 'BASE TABLE' order by 1")})[1]["tables"]
    counts = duckdb_child(home / "events.duckdb", queries={t: f"select count(*) from {t}" for (t,) in tables})[1]
    return {table: rows[0][0] for table, rows in counts.items()}


def store_in_use(home: Path) -> int:
    """Bytes of events.duckdb's blocks in use (a store written by deletes and inserts keeps free blocks)."""
    [(used,)] = duckdb_child(home / "events.duckdb", queries={"used": (
        "select used_blocks * block_size from pragma_database_size() where database_name = 'events'")})[1]["used"]
    return used


def sample(work: Path) -> tuple[Path, dict[str, Run]]:
    """×1: the sample's exports written into a fresh home's landing folder and ingested (raw suites included)."""
    home = fresh(work / "x1")
    run([sys.executable, "-c", WRITE_SAMPLE, str(home / "landing")])
    return home, {"make": run([KUMKM, "ingest", str(home / "landing")], home)}


def copied(work: Path, scale: int) -> tuple[Path, dict[str, Run]]:
    """×N: the ×1 store copied N times, then every batch validated as ingested."""
    x1 = work / "x1"
    if not (x1 / "events.duckdb").exists():
        sample(work)
    home = fresh(work / f"x{scale}")
    made = duckdb_child(home / "events.duckdb", REPLICATE.format(x1=x1 / "events.duckdb", n=scale), write=True)[0]
    return home, {"make": made, "validate": run([sys.executable, "-c", VALIDATE_AS_INGESTED], home)}


def fresh(home: Path) -> Path:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    return home


def export(home: Path) -> Run:
    return run([KUMKM, "export-events", "--to", str(home / "events_parquet")], home)


def spark_build(home: Path) -> Run:
    """`dbt build --target spark` of the seeds and models from the home's Parquet export, in a fresh Spark warehouse
    and metastore, run from the home (Spark writes derby.log and scratch files in its working folder)."""
    shutil.rmtree(home / "spark", ignore_errors=True)
    target = home / "dbt_spark"
    return run([DBT, "build", "--target", "spark", "--exclude", "resource_type:test",
                "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
                "--target-path", str(target), "--log-path", str(target / "logs")], home, cwd=home)


def attempt(step: Callable[[Path], Run], home: Path) -> Run | str:
    """The step's run, or why and after how long it failed (a build out of memory is a measurement too)."""
    clock = time.perf_counter()
    try:
        return step(home)
    except SystemExit as failed:
        return f"failed after {time.perf_counter() - clock:.0f} s: {str(failed)[-1500:]}"


def node_seconds(results: dict) -> dict[str, float]:
    """Seconds of dbt's nodes by kind (model, seed, test) in a run_results.json."""
    kinds: dict[str, float] = {}
    for r in results["results"]:
        kind = r["unique_id"].split(".")[0]
        kinds[kind] = kinds.get(kind, 0.0) + r["execution_time"]
    return kinds


def as_dict(done: Run) -> dict:
    return {"seconds": done.seconds, "cpu": done.cpu, "peak": done.peak}


def measure(work: Path, scale: int, with_spark: bool) -> dict:
    at_start, code = os.getloadavg()[0], code_hash()
    home, steps = sample(work) if scale == 1 else copied(work, scale)
    run([sys.executable, "-c", PARSE_PROJECT], home)  # as a home refreshed before: its partial parse is there
    attempts = {"refresh": attempt(refresh_from_scratch, home), "export": attempt(export, home)}
    if with_spark:
        attempts["spark"] = attempt(spark_build, home)
    steps.update((name, done) for name, done in attempts.items() if isinstance(done, Run))
    described = commit() + (" (WARNING: the refresh code changed during the run)" if code_hash() != code else "")
    return {
        "scale": scale, "at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "commit": described,
        "host": f"{machine()}, {load(at_start)}", "versions": versions(),
        "spark_driver_memory": os.environ.get("KUMKM_SPARK_DRIVER_MEMORY", "2g"),
        "spark_master": os.environ.get("KUMKM_SPARK_MASTER", "local[2]"),
        "duckdb_memory_limit": os.environ.get("KUMKM_DUCKDB_MEMORY_LIMIT", "1GB"),
        "events": events(home), "store_in_use": store_in_use(home),
        "sizes": {name: size(home / path) for name, path in FILES.items()},
        "steps": {name: as_dict(done) for name, done in steps.items()},
        "failed": {name: done for name, done in attempts.items() if isinstance(done, str)},
        "duckdb_nodes": node_seconds(run_results(home)) if "refresh" in steps else None,
        "duckdb_spent": spent(home, steps["refresh"]) if "refresh" in steps else None,
        "spark_nodes": node_seconds(json.loads((home / "dbt_spark" / "run_results.json").read_text()))
        if "spark" in steps else None,
    }


def versions() -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return ", ".join([*(f"{p} {version(p)}" for p in PACKAGES), f"Python {platform.python_version()}",
                      java[0] if java else "no java"])


def latest(work: Path) -> list[dict]:
    """The latest measurement of each scale and DuckDB memory limit in DIR/scale.jsonl, by scale."""
    measured = {}
    for line in (work / "scale.jsonl").read_text().splitlines():
        m = json.loads(line)
        measured[m["scale"], m["duckdb_memory_limit"]] = m
    return [measured[key] for key in sorted(measured)]


def label(m: dict) -> str:
    limit = m["duckdb_memory_limit"]
    return f"×{m['scale']}" + ("" if limit == "1GB" else f" ({limit})")


def table(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                      *("| " + " | ".join(row) + " |" for row in rows)])


def total(m: dict) -> int:
    return sum(m["events"].values())


def added(step: str, a: dict, b: dict) -> list[str]:
    """What the step's run at scale b costs more than at scale a, in all and per million events added."""
    events, cpu = total(b) - total(a), b["steps"][step]["cpu"] - a["steps"][step]["cpu"]
    seconds = b["steps"][step]["seconds"] - a["steps"][step]["seconds"]
    return [STEP_NAMES[step], f"{label(a)} to {label(b)}", f"{events:,}", f"{cpu:.1f}", f"{cpu / events * 1e6:.2f}",
            f"{seconds / events * 1e6:.2f}"]


def report(measured: list[dict]) -> str:
    tables = sorted({t for m in measured for t in m["events"]})
    counts = table(["events", *(label(m) for m in measured)],
                   [[t, *(f"{m['events'].get(t, 0):,}" for m in measured)] for t in tables]
                   + [["**total**", *(f"**{total(m):,}**" for m in measured)]])
    sizes = table(["file", *(label(m) for m in measured)],
                  [[name, *(mib(m["sizes"][name]) if m["sizes"][name] is not None else "-" for m in measured)]
                   for name in FILES]
                  + [["events.duckdb, blocks in use", *(mib(m["store_in_use"]) for m in measured)]])
    steps = table(["scale", "events", "step", "s", "CPU s", "peak"],
                  [[label(m), f"{total(m):,}", STEP_NAMES[step], f"{s['seconds']:.1f}", f"{s['cpu']:.1f}",
                    mib(s["peak"])]
                   for m in measured for step in STEPS if (s := m["steps"].get(step))])
    nodes = table(["scale", "engine", "models s", "seeds s", "tests s"],
                  [[label(m), engine, *(f"{nodes.get(k, 0):.1f}" for k in ("model", "seed", "test"))]
                   for m in measured for engine, nodes in (("DuckDB", m["duckdb_nodes"]), ("Spark", m["spark_nodes"]))
                   if nodes])
    per_event = table(["file", *(label(m) for m in measured)],
                      [[name, *(f"{m['sizes'][name] / total(m):.0f}" if m["sizes"][name] is not None else "-"
                                for m in measured)] for name in FILES]
                      + [["events.duckdb, blocks in use", *(f"{m['store_in_use'] / total(m):.0f}" for m in measured)]])
    marginal = table(["step", "scales", "events added", "CPU s added", "CPU s per million events added",
                      "wall s per million events added"],
                     [added(step, a, b) for step in ("refresh", "export", "spark")
                      for a, b in pairwise([m for m in measured if step in m["steps"]])])
    runs = "\n".join(f"- {label(m)}: {m['at']}, commit {m['commit']}; {m['host']}; DuckDB memory_limit "
                     f"{m['duckdb_memory_limit']}; Spark {m['spark_master']}, driver memory {m['spark_driver_memory']}"
                     + "".join(f"; **{STEP_NAMES[step]} {why[:400]}**" for step, why in m["failed"].items())
                     for m in measured)
    spent_lines = "\n".join(f"- {label(m)}: {m['duckdb_spent']}" for m in measured if m["duckdb_spent"])
    return f"""## Scale

`.venv/bin/python benchmarks/scale.py` (each scale's run below); {measured[-1]['versions']}

{runs}

### Events

{counts}

### Files

{sizes}

### Bytes per event (a file's size / the events of the store)

{per_event}

### Steps (each a child process: wall time, CPU user + system of its process tree, peak resident set of the tree)

{steps}

### What each step costs per event added, between two scales measured (derived: differences of the figures above)

{marginal}

### dbt's nodes, summed execution time

{nodes}

### Where `kumkm refresh --all`'s time goes

{spent_lines}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", required=True, help="copies of the sample's events")
    parser.add_argument("--spark", type=int, nargs="*", default=None,
                        help="the scales also built on Spark (default: every --scale)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kumkm-scale"), help="where the homes are made")
    args = parser.parse_args()
    spark = set(args.scale if args.spark is None else args.spark)
    args.work.mkdir(parents=True, exist_ok=True)
    for scale in args.scale:
        measured = measure(args.work.resolve(), scale, scale in spark)
        with open(args.work / "scale.jsonl", "a") as log:
            log.write(json.dumps(measured) + "\n")
    section = report(latest(args.work))
    (args.work / "scale.md").write_text(section)
    print(section)


if __name__ == "__main__":
    main()
