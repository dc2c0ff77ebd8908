"""KUMKM_HOME: the warehouse's folder. Two homes never share state."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_LOCK = re.compile(r'Could not set lock on file "(?P<file>[^"]+)": Conflicting lock is held in .*?\(PID (?P<pid>\d+)\)')


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def from_env(cls) -> "Home":
        return cls(Path(os.environ.get("KUMKM_HOME", ".kumkm")).resolve())

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def events_db(self) -> Path:
        return self.root / "events.duckdb"

    @property
    def transform_db(self) -> Path:
        return self.root / "transform.duckdb"

    @property
    def serving_db(self) -> Path:
        return self.root / "serving.duckdb"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt"

    @property
    def events_parquet(self) -> Path:
        """The event store as Parquet (`kumkm export-events`), what the Spark target reads."""
        return self.root / "events_parquet"

    @property
    def spark(self) -> Path:
        """The Spark target's warehouse and metastore (dbt_project/profiles.yml)."""
        return self.root / "spark"

    @property
    def spark_dbt_target(self) -> Path:
        return self.spark / "dbt"

    @property
    def reports(self) -> Path:
        return self.root / "reports"


class DatabaseInUse(Exception):
    """Another process holds one of the home's DuckDB files (DuckDB lets one process write a file)."""

    @classmethod
    def of(cls, error: object) -> "DatabaseInUse | None":
        """The conflict DuckDB's lock error names, said in one line; None for any other error."""
        m = _LOCK.search(str(error))
        return m and cls(f"{m['file']} is in use by another process (PID {m['pid']}): wait for it to finish, or end it")
