"""Dagster's instance of a warehouse home lives in KUMKM_HOME/dagster, never in ~/.dagster.

`python -m orchestration.instance` creates it when missing and prints the folder to use as
DAGSTER_HOME.
"""
from __future__ import annotations

from pathlib import Path

from kumkm.home import Home

DAGSTER_YAML = """\
# Dagster's instance of this warehouse home. Storage: SQLite files in this folder (Dagster's default).
# One run at a time: DuckDB lets one process write the event store or the transform database.
concurrency:
  runs:
    max_concurrent_runs: 1
# The warehouse holds the department's data: no usage statistics leave the machine.
telemetry:
  enabled: false
# No "Join the Dagster community" pop-up on a fresh UI.
nux:
  enabled: false
"""


def dagster_home(home: Home) -> Path:
    folder = home.root / "dagster"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return folder


if __name__ == "__main__":
    print(dagster_home(Home.from_env()))
