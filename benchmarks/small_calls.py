"""Small-calls benchmark: the wall time of the everyday `kumkm` commands on the demo home, each against its target.

Run: .venv/bin/python benchmarks/small_calls.py [--repeat K]. Runs `kumkm demo` on K fresh homes
(benchmarks/work/small_calls_<i>); on the last one, checks the published marts against the floor
(benchmarks/floor.sql), then times K times each `kumkm report --quarter 2025Q4`, `kumkm audit`, `kumkm refresh --all`
with nothing new, and last `kumkm ingest` of a new 10-row file. Writes the `Small calls` section of
benchmarks/RESULTS.md and exits non-zero when a check fails.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from refresh import (KUMKM, WORK, Run, best, commit, differences, floor, load, machine, mib, published, run,
                     verdict, write_section)

QUARTER = "2025Q4"
NEW_FILE_ROWS = 10


class Call(NamedTuple):
    name: str
    command: str
    target: float  # seconds
    fastest: Run


def fresh_demo(i: int) -> Run:
    """`kumkm demo` on a new, empty home."""
    home = WORK / f"small_calls_{i}"
    shutil.rmtree(home, ignore_errors=True)
    return expecting(run([KUMKM, "demo"], home), "Published figures that disagree with the warehouse")


def expecting(done: Run, text: str) -> Run:
    """The run, when its output says what the command is for."""
    if not re.search(text, done.output):
        sys.exit(f"expected {text!r} in the output, got:\n{done.output[-2000:]}")
    return done


def new_file(home: Path, i: int) -> Path:
    """A new 10-row facilitation export: the first rows of the sample's latest one, as its operator writes them,
    with ids of their own."""
    latest = sorted((home / "landing" / "sip3").glob("pembinaan_*.csv"))[-1]
    header, *rows = latest.read_text(encoding="utf-8").splitlines(keepends=True)
    path = WORK / "small_calls_files" / "sip3" / f"{latest.stem}_kecil{i}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "".join(row.replace("PBN-", f"PBN-KECIL{i}-", 1) for row in rows[:NEW_FILE_ROWS]),
                    encoding="utf-8")
    return path


def ingest_new_file(home: Path, i: int) -> Run:
    path = new_file(home, i)
    return expecting(run([KUMKM, "ingest", str(path)], home),
                     rf"{re.escape(path.name)}\s+ingested\s+{NEW_FILE_ROWS}\s+{NEW_FILE_ROWS}\s")


def measure(repeat: int) -> tuple[list[Call], list[str]]:
    shutil.rmtree(WORK / "small_calls_files", ignore_errors=True)
    demos = [fresh_demo(i) for i in range(repeat)]
    home = WORK / f"small_calls_{repeat - 1}"
    diffs = differences("demo home", published(home), floor(home)[1])

    def timed(*args: str, says: str) -> Run:
        return best([expecting(run([KUMKM, *args], home), says) for _ in range(repeat)])

    calls = [
        Call("report", f"`kumkm report --quarter {QUARTER}`", 1.0,
             timed("report", "--quarter", QUARTER, says=f"Indicators s/d triwulan {QUARTER[-1]} {QUARTER[:4]}")),
        Call("audit", "`kumkm audit`", 1.0, timed("audit", says="Published figures that disagree with the warehouse")),
        Call("refresh with nothing new", "`kumkm refresh --all`", 2.0,
             timed("refresh", "--all", says="nothing new since the refresh as known at")),
        Call(f"ingest of a new {NEW_FILE_ROWS}-row file", "`kumkm ingest <file>`", 1.5,
             best([ingest_new_file(home, i) for i in range(repeat)])),
        Call("demo on a fresh home", "`kumkm demo`", 60.0, best(demos)),
    ]
    return calls, diffs


def report(repeat: int, host: str, code: str, calls: list[Call], diffs: list[str]) -> str:
    lines = ["| call | command | target | best s | CPU s | peak | |", "|---|---|---|---|---|---|---|"]
    for c in calls:
        lines.append(f"| {c.name} | {c.command} | ≤ {c.target:g} s | {c.fastest.seconds:.2f} | {c.fastest.cpu:.2f} "
                     f"| {mib(c.fastest.peak)} | {verdict(c.fastest.seconds <= c.target)} |")
    checks = "all equal" if not diffs else f"{len(diffs)} DIFFERENCES (printed by the script), e.g. {diffs[0]}"
    return f"""## Small calls

`.venv/bin/python benchmarks/small_calls.py --repeat {repeat}` on {datetime.now():%Y-%m-%d %H:%M}

- machine: {host}
- commit {code}; Python {platform.python_version()}

{chr(10).join(lines)}

- time: wall time of the command, Python start-up included, best of {repeat}; CPU: user + system of its process
  tree; peak: as in `Refresh`.
- homes: `kumkm demo` ran {repeat} times, each on a new, empty home (the dependencies installed); the other calls on
  the last of them, in the order of the table: `report` and `audit` read its serving database, `refresh --all`
  answers "nothing new since the refresh as known at ..." as the demo has refreshed since its ingest, and `ingest`
  (last, as it makes the next refresh build) reads each time a new file of {NEW_FILE_ROWS} facilitations (the first
  rows of the sample's latest pembinaan export, as its operator writes them, with new ids) and validates the batch
  with its raw suite.
- check: every row of marts.fct_indicator_quarterly and marts.fct_budget_quarterly the demo published against the
  floor (benchmarks/floor.sql, see `Refresh`): {checks}.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each call; the fastest counts")
    args = parser.parse_args()
    at_start = os.getloadavg()[0]
    WORK.mkdir(parents=True, exist_ok=True)
    calls, diffs = measure(args.repeat)
    for diff in diffs:
        print(diff)
    section = report(args.repeat, f"{machine()}, {load(at_start)}", commit(), calls, diffs)
    write_section(section)
    print(section)
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
