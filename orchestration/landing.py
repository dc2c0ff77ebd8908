"""The landing folder, what one ingest of it did per source kind, and the events added or retracted since."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timezone
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


def unread_files(landing: Path, events_db: Path) -> list[Path]:
    """The landed files that no ingest has read as they are now: their name and size are not in the
    registry (ingest.batches), or they were modified after their last reading. Reads the folder's
    listing and the registry only, never a file. (Names, not paths: a home copied elsewhere keeps
    its registry; an export's name holds its kind and extraction date.)"""
    landed = landed_files(landing)
    if not landed or not events_db.exists():
        return landed
    con = duckdb.connect(str(events_db), read_only=True)
    try:
        read = {(name, size): last for name, size, last in con.execute(
            "select file_name, size_bytes, max(started_at) from ingest.batches group by all").fetchall()}
    finally:
        con.close()
    unread = []
    for path in landed:
        stat = path.stat()
        last = read.get((path.name, stat.st_size))
        if last is None or last.replace(tzinfo=timezone.utc).timestamp() < stat.st_mtime:
            unread.append(path)
    return unread


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
            "batches": dg.MetadataValue.json(sorted(r.batch_id for r in self.files if r.batch_id)),
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


def registered_deliveries(events_db: Path, after_batch: int, leaving_out: set[int]) -> list[Delivery]:
    """Per kind, what the batches registered after `after_batch` did, but those `leaving_out`."""
    con = duckdb.connect(str(events_db), read_only=True)
    try:
        rows = con.execute("select kind, batch_id, file_path, status, reason, rows_read, rows_added, rows_known, "
                           "rows_rejected, events_omitted from ingest.batches where batch_id > ? and kind is not null "
                           "order by batch_id", [after_batch]).fetchall()
    finally:
        con.close()
    by_kind: dict[str, list[FileResult]] = {}
    for kind, batch_id, path, status, reason, read, added, known, rejected, omitted in rows:
        if batch_id not in leaving_out:
            by_kind.setdefault(kind, []).append(FileResult(Path(path), status, reason, read or 0, added or 0,
                                                           known or 0, rejected or 0, omitted or 0, batch_id))
    return [Delivery(KINDS[kind], files, _earliest_valid_date(events_db, KINDS[kind], files))
            for kind, files in by_kind.items()]


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


@dataclass(frozen=True)
class Changes:
    """What the event store gained after a sensor's cursor: the earliest valid_date of the events
    added or retracted (None: none), the last batch, the number of retractions, and the batches
    retracted since."""
    earliest_valid_date: date | None
    batch: int
    retractions: int
    retracted: list[int]


def changes_since(events_db: Path, batch: int, retractions: int) -> Changes:
    """The events that batches after `batch` added and the batches retracted after the first
    `retractions` retractions (a retracted batch's events leave its quarters' figures), whichever
    way they were ingested (sensor, asset, `kumkm ingest`) or retracted (`kumkm retract`)."""
    if not events_db.exists():
        return Changes(None, batch, retractions, [])
    con = duckdb.connect(str(events_db), read_only=True)
    try:
        try:  # retractions are appended, never deleted: their rowids count them in order
            retracted = [b for (b,) in con.execute("select batch_id from ingest.retractions where rowid >= ? "
                                                   "order by rowid", [retractions]).fetchall()]
        except duckdb.CatalogException:  # an event store from before retractions
            retracted = []
        changed = "batch_id > $batch or batch_id in (select unnest($retracted::integer[]))"
        valid_dates = " union all ".join(f"select valid_date from {kind.table} where {changed}"
                                         for kind in KINDS.values())
        earliest, last = con.execute(f"select (select min(valid_date) from ({valid_dates})), "
                                     "(select coalesce(max(batch_id), $batch) from ingest.batches)",
                                     {"batch": batch, "retracted": retracted}).fetchone()
    finally:
        con.close()
    return Changes(earliest, last, retractions + len(retracted), retracted)
