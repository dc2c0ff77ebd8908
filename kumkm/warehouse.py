"""Build the warehouse with dbt and publish its marts to the serving database.

The same functions serve `kumkm refresh`, `kumkm demo` and the Dagster assets.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from kumkm.home import Home

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"
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


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def dbt_vars(knowledge_time: datetime, first: Quarter | None = None, last: Quarter | None = None) -> dict:
    """The dbt vars of one refresh: knowledge time K and the quarters to build (none: all with data)."""
    return {
        "knowledge_time": knowledge_time.isoformat(sep=" "),
        "quarter_from": str(first) if first else "",
        "quarter_to": str(last) if last else "",
    }


def dbt_args(home: Home, command: str, variables: dict, *extra: str) -> list[str]:
    return [command, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
            "--target-path", str(home.dbt_target), "--log-path", str(home.dbt_target / "logs"),
            "--vars", json.dumps(variables), *extra]


def run_dbt(home: Home, args: list[str]) -> str:
    """Runs dbt in its own process (dbt-duckdb keeps its database open for the life of a process)
    and returns its output; the log is kept in the home's dbt folder."""
    home.dbt_target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([str(Path(sys.executable).parent / "dbt"), *args], capture_output=True, text=True,
                          env={**os.environ, "KUMKM_HOME": str(home.root), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    output = done.stdout + done.stderr
    (home.dbt_target / f"last_{args[0]}.log").write_text(output)
    if done.returncode != 0:
        failures = [line.strip() for line in output.splitlines()
                    if re.search(r"\b(Failure|Error) in |Database Error|Compilation Error", line)]
        raise RefreshFailed(f"dbt {args[0]} failed: " + ("; ".join(failures[:10]) or output[-2000:]))
    return output


def build(home: Home, first: Quarter | None = None, last: Quarter | None = None,
          knowledge_time: datetime | None = None) -> datetime:
    """One `dbt build` for the quarter range; returns the knowledge time it used."""
    k = knowledge_time or utc_now()
    full = [] if first or last else ["--full-refresh"]
    run_dbt(home, dbt_args(home, "build", dbt_vars(k, first, last), *full))
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
    from expectations.runner import gate  # here: the gate imports this module

    k = build(home, first, last, knowledge_time)
    gate(home)  # publishes only when every blocking expectation holds, else raises QualityGateFailed
    return k
