"""Quality-gate benchmark: the gate's time after a few and after many past runs stored in quality/results.duckdb.

Run: .venv/bin/python benchmarks/quality_gate.py [--runs 200] [--repeat 5] [--before COMMIT]. Builds the sample
warehouse (`kumkm demo`) in benchmarks/work/quality_gate; then, in a child process, times `--repeat` times the gate
a refresh runs between build and publish (`kumkm.refresh.validate`: every staging and marts suite on the built
tables, the raw batches no stored run passed, the run stored, the page written) and the storing of one run alone
(`expectations.results.record`), after the demo's own 2 runs, again once past runs were stored up to --runs, and
again up to 5 × --runs. The past runs are the demo's two, stored again as they are stored: the ingest's raw check
of its batches and the refresh's gate. With --before COMMIT, the same on a copy of the same home with that
commit's expectations/ and kumkm/ (git archive, first on PYTHONPATH). Writes the `Quality gate` section of
benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from refresh import KUMKM, ROOT, WORK, commit, load, machine, mib, run, write_section

HOME = WORK / "quality_gate"

# Child process: argv[1] home, argv[2] JSON list of the past-run counts to measure at, argv[3] repeats. Prints one
# JSON object per count.
MEASURE = """
import json, os, statistics, sys, time
from pathlib import Path
import duckdb
from expectations.results import record, results_db
from expectations.runner import load_suites, raw_plan, run
from kumkm.home import Home
try:
    from kumkm.refresh import validate
except ImportError:  # code from before kumkm.refresh (--before)
    from kumkm.warehouse import validate

home, counts, repeat = Home(Path(sys.argv[1])), json.loads(sys.argv[2]), int(sys.argv[3])
ingest_run = run(home, raw_plan(home, load_suites(("raw",)), lambda suite, batch_id: True))
gate_run = validate(home)
stored = 3  # the demo's ingest and refresh, and the gate just run


def timed(call):
    global stored
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    stored += 1
    return time.perf_counter() - wall, time.process_time() - cpu


for count in counts:
    while stored < count:
        record(home, ingest_run if stored % 2 else gate_run)
        stored += 1
    before = stored
    con = duckdb.connect(str(results_db(home)), read_only=True)
    rows = con.execute("select count(*), count(distinct run_id) from results").fetchone()
    con.close()
    gates = [timed(lambda: validate(home)) for _ in range(repeat)]
    stores = [timed(lambda: record(home, gate_run)) for _ in range(repeat)]
    print(json.dumps({"past_runs": before, "results_rows": rows[0], "results_runs": rows[1],
                      "size": os.path.getsize(results_db(home)),
                      "gate": statistics.median(w for w, _ in gates), "gate_cpu": statistics.median(c for _, c in gates),
                      "store": statistics.median(w for w, _ in stores),
                      "store_cpu": statistics.median(c for _, c in stores)}), flush=True)
"""


def measured(home: Path, counts: list[int], repeat: int, code: Path | None = None) -> list[dict]:
    """The child's measurements, with `code` (a source tree) first on the import path."""
    env = {**os.environ, **({"PYTHONPATH": str(code)} if code else {})}
    done = subprocess.run([sys.executable, "-c", MEASURE, str(home), json.dumps(counts), str(repeat)],
                          cwd=WORK, env=env, capture_output=True, text=True)  # not ROOT: its kumkm/ would come first
    if done.returncode:
        sys.exit(f"measuring failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return [json.loads(line) for line in done.stdout.splitlines()]


def source_tree(revision: str) -> Path:
    """kumkm/ and expectations/ of the revision, exported into benchmarks/work."""
    tree = WORK / f"quality_gate_{revision}"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision, "kumkm", "expectations"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def table(name: str, rows: list[dict]) -> list[str]:
    return [f"| {name} | {r['past_runs']:,} | {r['results_runs']:,} | {r['results_rows']:,} | {mib(r['size'])} | "
            f"{r['gate']:.2f} | {r['gate_cpu']:.2f} | {r['store']:.3f} | {r['store_cpu']:.3f} |" for r in rows]


def report(args: argparse.Namespace, host: str, head: str, now: list[dict], before: list[dict]) -> str:
    command = "`.venv/bin/python benchmarks/quality_gate.py" + (f" --runs {args.runs}" if args.runs != 200 else "") \
        + (f" --repeat {args.repeat}" if args.repeat != 5 else "") + (f" --before {args.before}" if args.before else "")
    first, last = now[0], now[-1]
    flat = last["gate_cpu"] <= 1.25 * first["gate_cpu"]  # CPU: wall times swing with the shared cores' load
    lines = [
        "## Quality gate",
        "",
        f"{command}` on {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- machine: {host}",
        f"- commit {head}; Python {platform.python_version()}",
        "",
        "| code | past runs | runs in `results` | rows in `results` | results.duckdb | gate s | gate CPU s "
        "| storing a run s | its CPU s |",
        "|---|---|---|---|---|---|---|---|---|",
        *table(head.split()[0], now),
        *table(args.before, before),
        "",
        f"Goal: the gate's cost does not grow with the number of past runs: {'**PASS**' if flat else '**FAIL**'} "
        f"(gate CPU {first['gate_cpu']:.2f} s after {first['past_runs']} runs, {last['gate_cpu']:.2f} s after "
        f"{last['past_runs']:,}; at most 25% more passes)",
        "",
        "- gate: `kumkm.refresh.validate(home)` on the demo home, what `kumkm refresh` runs between build and publish:",
        "  every staging and marts suite on the built tables, the raw suites on the batches no stored run passed (none",
        "  here: the demo's ingest checked them), the run stored in quality/results.duckdb and quality/index.html",
        "  written. Storing a run: `expectations.results.record` of the gate's outcomes alone. Median of "
        f"{args.repeat} each, in one process (wall; CPU: user + system of the process).",
        "- past runs: the demo's two runs (its ingest's raw check of every batch, its refresh's gate) stored again,",
        "  alternately, as runs are stored; each measured call stores one more.",
    ]
    if before:
        lines.append(f"- {args.before}: the same on a copy of the same home with that commit's kumkm/ and expectations/ "
                     "(before the store was bounded: every run kept in `results`, the gate grouping all of it).")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="past runs to measure the gate after (and 5x as many)")
    parser.add_argument("--repeat", type=int, default=5, help="measurements of each; the median counts")
    parser.add_argument("--before", help="a commit to measure the same way, e.g. the one before the store was bounded")
    args = parser.parse_args()
    at_start, head = os.getloadavg()[0], commit()
    shutil.rmtree(HOME, ignore_errors=True)
    run([KUMKM, "demo"], HOME)
    pristine = WORK / "quality_gate_demo"
    shutil.rmtree(pristine, ignore_errors=True)
    shutil.copytree(HOME, pristine)
    counts = [0, args.runs, 5 * args.runs]
    now = measured(HOME, counts, args.repeat)
    before = measured(pristine, counts, args.repeat, source_tree(args.before)) if args.before else []
    section = report(args, f"{machine()}, {load(at_start)}", head, now, before)
    write_section(section)
    print(section)


if __name__ == "__main__":
    main()
