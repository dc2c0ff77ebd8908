"""KUMKM_HOME: the warehouse's folder. Two homes never share state."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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
    def reports(self) -> Path:
        return self.root / "reports"
