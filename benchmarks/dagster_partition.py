"""Dagster partition benchmark: one quarter's run of the job refresh_quarters against `kumkm refresh --quarter`.

Run: .venv/bin/python benchmarks/dagster_partition.py [--repeat K] [--scale N]. Builds the sample warehouse
(`kumkm demo`) in benchmarks/work/dagster_partition (with --scale N: its events copied N times, as
benchmarks/refresh.py copies them, in benchmarks/work/dagster_partition_x<N>, every quarter built), with its
Dagster instance ($KUMKM_HOME/dagster, as `make ui` uses it). Runs the partition once to warm the home as a
running deployment is (dbt's partial parse, the catalogue built once), then K times each, alternately: `kumkm
refresh --quarter 2025Q4` (its dbt/last_refresh.json removed first, so that it builds instead of answering
"nothing new") and `dagster job execute -m orchestration.definitions -j refresh_quarters` of the partition
2025-10-01, a process of its own as the daemon launches a run, timed whole and as Dagster records the run (its
duration in the UI). After each run of either, the published indicator and budget rows must equal those of the
first refresh, and the quarter's marts must say one known_at. On the demo, also times a tick of the sensor
new_exports with a new 1 GiB export landed. Writes the `Dagster partition` section (`Dagster partition, x<N>`)
of benchmarks/RESULTS.md; exits non-zero when a check fails.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
from datetime import datetime
from pathlib import Path

from refresh import (KUMKM, PARSE_PROJECT, REPLICATE, VALIDATE_AS_INGESTED, WORK, Run, best, commit, duckdb_child,
                     load, machine, mib, published, run, verdict, write_section)

QUARTER, PARTITION = "2025Q4", "2025-10-01"
TARGET = 1.5  # a partition's run takes at most this many times `kumkm refresh --quarter`
TICK_TARGET = 5.0  # seconds: a tick of the sensor, however large the files landed
HOME = WORK / "dagster_partition"
DAGSTER = str(Path(sys.executable).parent / "dagster")
PYTHON = sys.executable


# One evaluation of the sensor new_exports, timed inside a process that has loaded it (as the code server has).
SENSOR_TICK = """
import json, time
import dagster as dg
from orchestration.automation import new_exports
instance = dg.DagsterInstance.ephemeral()
clock, cpu = time.perf_counter(), time.process_time()
result = new_exports(dg.build_sensor_context(instance=instance))
print(json.dumps({"seconds": time.perf_counter() - clock, "cpu": time.process_time() - cpu,
                  "requested": [r.job_name for r in result.run_requests]}))
"""
BIG_EXPORT = 1 << 30  # bytes: a new export landed, as large as a year of business records would be


def sensor_ticks(home: Path) -> dict[str, dict]:
    """A tick that notices a new 1 GiB export (sparse: the sensor never reads a file), and the first tick
    of a new instance, which records every batch `kumkm demo` ingested and asks for every quarter."""
    big = home / "landing" / "sip3" / "umkm_20261130_besar.csv"
    with big.open("wb") as f:
        f.truncate(BIG_EXPORT)
    ticks = {"new 1 GiB export": json.loads(run([PYTHON, "-c", SENSOR_TICK], home).output)}
    big.unlink()
    ticks["first look at the demo's batches"] = json.loads(run([PYTHON, "-c", SENSOR_TICK], home).output)
    return ticks


def demo_home() -> Path:
    shutil.rmtree(HOME, ignore_errors=True)
    run([KUMKM, "demo"], HOME)
    return HOME


def scaled_home(demo: Path, scale: int) -> Path:
    """The demo's events copied `scale` times (as benchmarks/refresh.py makes them), every quarter built."""
    home = WORK / f"dagster_partition_x{scale}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    duckdb_child(home / "events.duckdb", REPLICATE.format(x1=demo / "events.duckdb", n=scale), write=True)
    run([PYTHON, "-c", VALIDATE_AS_INGESTED], home)
    run([PYTHON, "-c", PARSE_PROJECT], home)
    run([KUMKM, "refresh", "--all"], home)
    return home


def with_instance(home: Path) -> Path:
    os.environ["DAGSTER_HOME"] = run([PYTHON, "-m", "orchestration.instance"], home).output.strip()
    return home  # every run below shares the home's instance


def kumkm_refresh(home: Path) -> Run:
    (home / "dbt" / "last_refresh.json").unlink(missing_ok=True)
    return run([KUMKM, "refresh", "--quarter", QUARTER], home)


def partition_run(home: Path) -> Run:
    return run([DAGSTER, "job", "execute", "-m", "orchestration.definitions", "-j", "refresh_quarters",
                "--tags", json.dumps({"dagster/partition": PARTITION})], home)


# The last run's duration as Dagster records it and its UI shows it: from the run's start (its process up,
# the definitions loaded) to its end.
LAST_RUN = """
import dagster as dg
with dg.DagsterInstance.get() as instance:
    [run] = instance.get_runs(limit=1)
    record = instance.get_run_record_by_id(run.run_id)
    print(record.end_time - record.start_time)
"""


def run_duration() -> float:
    return float(run([PYTHON, "-c", LAST_RUN]).output)


def known_at(home: Path) -> list:
    """The knowledge times the built quarter's rows carry in every mart that says the K it was built at."""
    _, rows = duckdb_child(home / "serving.duckdb", queries={"k": " union ".join(
        f"select distinct known_at from marts.{mart} where tahun = {QUARTER[:4]} and triwulan = {QUARTER[-1]}"
        for mart in ("fct_indicator_quarterly", "fct_budget_quarterly", "fct_efisiensi_quarterly",
                     "fct_publikasi_audit"))})
    return rows["k"]


def figures(home: Path) -> dict[str, list]:
    """The published indicator and budget rows, in order."""
    return {mart: sorted(rows, key=json.dumps) for mart, rows in published(home).items()}


def measure(home: Path, repeat: int) -> tuple[Run, Run, float, list[str]]:
    refreshes, partitions, durations, problems = [], [], [], []
    kumkm_refresh(home)
    expected = figures(home)
    partition_run(home)  # warm-up
    for _ in range(repeat):
        for runs, measured in ((refreshes, kumkm_refresh), (partitions, partition_run)):
            runs.append(measured(home))
            if measured is partition_run:
                durations.append(run_duration())
            if figures(home) != expected:
                problems.append(f"{measured.__name__}: the published rows differ from the first refresh's")
            if len(k := known_at(home)) != 1:
                problems.append(f"{measured.__name__}: {QUARTER} carries {len(k)} knowledge times: {k}")
    return best(refreshes), best(partitions), min(durations), problems


DAGSTER_RUN = ("`dagster job execute -m orchestration.definitions -j refresh_quarters "
               f"--tags '{{\"dagster/partition\": \"{PARTITION}\"}}'`")


def tick_rows(ticks: dict[str, dict]) -> str:
    return "\n".join(f"| {name} | {t['seconds']:.2f} | {t['cpu']:.2f} | {', '.join(t['requested'])} |"
                     for name, t in ticks.items())


def report(repeat: int, scale: int, host: str, code: str, refresh: Run, partition: Run, duration: float,
           ticks: dict[str, dict], problems: list[str]) -> str:
    ratio, whole, cpu_ratio = duration / refresh.seconds, partition.seconds / refresh.seconds, partition.cpu / refresh.cpu
    checks = "all hold" if not problems else f"{len(problems)} FAILED, e.g. {problems[0]}"
    title, option = ("## Dagster partition", "") if scale == 1 else (f"## Dagster partition, x{scale}",
                                                                     f" --scale {scale}")
    slowest_tick = max((t["seconds"] for t in ticks.values()), default=0)
    sensor = "" if not ticks else f"""
| sensor tick (`new_exports`) | s | CPU s | requests |
|---|---|---|---|
{tick_rows(ticks)}

Goal: a tick well under {TICK_TARGET:g} s however large the files: {verdict(slowest_tick < TICK_TARGET)}
"""
    home = ("`kumkm demo` on a new home" if scale == 1 else f"the demo's events copied {scale} times (as `Refresh` "
            "copies them), every quarter built by `kumkm refresh --all`")
    return f"""{title}

`.venv/bin/python benchmarks/dagster_partition.py --repeat {repeat}{option}` on {datetime.now():%Y-%m-%d %H:%M}

- machine: {host}
- commit {code}; Python {platform.python_version()}

| what | command | best s | CPU s | peak |
|---|---|---|---|---|
| refresh of one quarter | `kumkm refresh --quarter {QUARTER}` | {refresh.seconds:.1f} | {refresh.cpu:.1f} | {mib(refresh.peak)} |
| the quarter's Dagster run, as its process | {DAGSTER_RUN} | {partition.seconds:.1f} | {partition.cpu:.1f} | {mib(partition.peak)} |
| the same run as Dagster records it (start to end, as the UI shows it) | | {duration:.1f} | | |

Goal: the partition's run within {TARGET}x the refresh: {verdict(ratio <= TARGET)} ({ratio:.2f}x as Dagster records
the run; its whole process, start-up and run creation included: {whole:.2f}x wall, {cpu_ratio:.2f}x CPU)
{sensor}
- home: {home}, with its Dagster instance in $KUMKM_HOME/dagster (SQLite, as `make ui`);
  one refresh and one partition run first, untimed (dbt's partial parse of the home, the catalogue built once, as
  in a running deployment); then {repeat} times each, alternately.
- `kumkm refresh --quarter`: its state (dbt/last_refresh.json) removed before each, so that it builds: one dbt
  build of every model (the quarter's figures; seeds only when changed: not here) with its tests, the
  printed-figure audit's classes, the quality gate, publish.
- the partition's run: a new process, as the daemon launches one: Dagster and the definitions load, the run is
  created (an event per asset and check planned), then in that process one dbt build of the quarter's models with
  their tests (seeds only when changed: not here), the printed-figure audit's classes, the suites' checks, the
  quarters-with-data and freshness checks, publish, and the quarter's HTML report, which the refresh does not
  write. Dagster stores some 310 events of the run (100 planned as it is created, then outputs, materializations
  and check evaluations) in the instance's SQLite event log, which the run's process keeps open
  (orchestration/instance.py).
- time: wall time, Python start-up included, best of {repeat}; CPU: user + system of the process tree; peak as in
  `Refresh`; the run as Dagster records it: RUN_START to RUN_SUCCESS. The machine is shared: wall times move with
  the other work on it, CPU times much less.
- sensor ticks (the demo only): one evaluation of the sensor in a process that has loaded the definitions (as
  the code server has), timed inside it, on an ephemeral instance; before the runs above.
- checks after every run: the published indicator and budget rows equal the first refresh's, and the quarter's rows
  in the marts that say the K they were built at (indicators, budget, efficiency, the printed-figure audit) carry
  one known_at: {checks}.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts")
    parser.add_argument("--scale", type=int, default=1, help="copies of the sample's events (default 1: the demo)")
    args = parser.parse_args()
    at_start = os.getloadavg()[0]
    WORK.mkdir(parents=True, exist_ok=True)
    home = demo_home()
    ticks = sensor_ticks(home) if args.scale == 1 else {}
    home = with_instance(home if args.scale == 1 else scaled_home(home, args.scale))
    refresh, partition, duration, problems = measure(home, args.repeat)
    for problem in problems:
        print(problem)
    section = report(args.repeat, args.scale, f"{machine()}, {load(at_start)}", commit(), refresh, partition,
                     duration, ticks, problems)
    write_section(section)
    print(section)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
