"""The landing folder, what one ingest of it did per source kind, and the events added since."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.contract import KINDS, Kind, RefusedFile, parse_file_name
from ingestion.ingest import FileResult, collect


def asset_key(kind: Kind) -> dg.AssetKey:
    """The ingestion asset of a kind, keyed like the dbt source over its event table."""
    return dg.AssetKey([kind.source, kind.name])


def kind_of(path: Path) -> Kind | None:
    """The kind a landed file is an export of; None when its name and folder do not say."""
    try:
        return parse_file_name(path).kind
    except RefusedFile:
        return None


def landed_files(landing: Path) -> list[Path]:
    return collect([landing])[0] if landing.is_dir() else []


def skipped_entries(landing: Path) -> list[str]:
    """`path: why` of each entry of the landing folder that is not read (a hidden file, a link out)."""
    return [f"{r.path}: {r.reason}" for r in collect([landing])[1]] if landing.is_dir() else []


def fingerprint(path: Path, landing: Path) -> str:
    stat = path.stat()
    return f"{path.relative_to(landing)}|{stat.st_size}|{stat.st_mtime_ns}"


def unseen_files(landing: Path, seen: set[str]) -> tuple[list[Path], set[str]]:
    """The landed files whose path, size or modification time is not among the fingerprints `seen`,
    and the fingerprints of every file landed now."""
    landed = {fingerprint(path, landing): path for path in landed_files(landing)}
    return [path for print_, path in landed.items() if print_ not in seen], set(landed)


def refusals(results: list[FileResult]) -> list[str]:
    return [f"{r.path}: {r.reason}" for r in results if r.status == "refused"]


@dataclass(frozen=True)
class Delivery:
    """One kind's share of an ingest."""

    kind: Kind
    files: list[FileResult]
    earliest_valid_date: date | None  # of the events the files added

    def metadata(self) -> dict[str, dg.RawMetadataValue]:
        def count(status: str) -> int:
            return sum(r.status == status for r in self.files)

        metadata: dict[str, dg.RawMetadataValue] = {
            "files": len(self.files),
            "files_ingested": count("ingested"),
            "files_already_ingested": count("already_ingested"),
            "files_refused": count("refused"),
            "rows_read": sum(r.rows_read for r in self.files),
            "events_added": sum(r.rows_added + r.events_omitted for r in self.files),
            "events_known": sum(r.rows_known for r in self.files),
            "rows_rejected": sum(r.rows_rejected for r in self.files),
        }
        if self.earliest_valid_date:
            metadata["earliest_valid_date"] = self.earliest_valid_date.isoformat()
        if refused := refusals(self.files):
            metadata["refused"] = dg.MetadataValue.md("\n".join(f"- {line}" for line in refused))
        return metadata


def deliveries(results: list[FileResult], events_db: Path, kinds: list[Kind]) -> list[Delivery]:
    """What the ingest did for each of `kinds`, read from its results and the event store."""
    found = []
    for kind in kinds:
        files = [r for r in results if kind_of(r.path) == kind]
        found.append(Delivery(kind, files, _earliest_valid_date(events_db, kind, files)))
    return found


def _earliest_valid_date(events_db: Path, kind: Kind, files: list[FileResult]) -> date | None:
    batches = [r.batch_id for r in files if r.status == "ingested" and r.rows_added + r.events_omitted]
    if not batches:
        return None
    con = duckdb.connect(str(events_db), read_only=True)
    try:
        return con.execute(f"select min(valid_date) from {kind.table} where batch_id in "
                           f"({', '.join(str(int(b)) for b in batches)})").fetchone()[0]
    finally:
        con.close()


def events_since(events_db: Path, batch: int) -> tuple[date | None, int]:
    """The earliest valid_date of the events that batches after `batch` added (None: no event), and
    the last batch, whichever way they were ingested (sensor, asset, `kumkm ingest`)."""
    if not events_db.exists():
        return None, batch
    valid_dates = " union all ".join(f"select valid_date from {kind.table} where batch_id > $batch"
                                     for kind in KINDS.values())
    con = duckdb.connect(str(events_db), read_only=True)
    try:
        return con.execute(f"select (select min(valid_date) from ({valid_dates})), "
                           "(select coalesce(max(batch_id), $batch) from ingest.batches)",
                           {"batch": batch}).fetchone()
    finally:
        con.close()
