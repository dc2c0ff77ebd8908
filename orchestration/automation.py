"""When the warehouse ingests and refreshes: exports that land are ingested in a run of their own,
the quarters new events change are refreshed after it, and each quarter is built again at its close."""

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.contract import KINDS
from kumkm.home import Home
from orchestration.assets import RETRACTIONS, event_store, laporan_kinerja, quarterly_figures, serving
from orchestration.checks import stored_batches_checked
from orchestration.landing import asset_key, changes_since, kind_of, registered_deliveries, unread_files
from orchestration.quarters import QUARTERS, partition_key, quarter_ended_before, quarters_from

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"
IN_FLIGHT = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
             dg.DagsterRunStatus.STARTED]

ingest_exports = dg.define_asset_job(
    "ingest_exports", selection=dg.AssetSelection.assets(event_store),
    description="Ingest landed exports (the new_exports sensor names the new and changed files in the run's "
                "config; launched by hand, every landed file) and check the new batches with the raw suites.")

refresh_quarters = dg.define_asset_job(
    "refresh_quarters", selection=dg.AssetSelection.assets(quarterly_figures, serving, laporan_kinerja),
    description="One dbt build of the run's quarters (one, or a range: one run) as known at the run's K, "
                "with its tests and checks, then publish the serving database and write each quarter's "
                "report. The catalogue is built along when it changed.")


@dg.schedule(cron_schedule="0 2 1 1,4,7,10 *", execution_timezone="Asia/Jakarta", job=refresh_quarters,
             default_status=dg.DefaultScheduleStatus.RUNNING)
def quarter_close(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """At 02:00 on the first day of a quarter, builds the partition of the quarter that has just ended."""
    key = partition_key(quarter_ended_before(context.scheduled_execution_time))
    return dg.RunRequest(run_key=key, partition_key=key)


def evaluation(result: dg.AssetCheckResult) -> dg.AssetCheckEvaluation:
    """A check result as a sensor reports it."""
    return dg.AssetCheckEvaluation(asset_key=result.asset_key, check_name=result.check_name, passed=result.passed,
                                   metadata=result.metadata, severity=result.severity,
                                   description=result.description)


@dataclass(frozen=True)
class Cursor:
    batch: int = 0  # the last ingest batch whose quarters a refresh was requested for
    event: int = 0  # the last event log entry of an ingestion asset's materialization seen
    retractions: int = 0  # the retractions whose quarters a refresh was requested for

    @classmethod
    def of(cls, text: str | None) -> "Cursor":
        state = json.loads(text) if text else {}
        return cls(state.get("batch", 0), state.get("event", 0), state.get("retractions", 0))

    def __str__(self) -> str:
        return json.dumps(asdict(self))


def ingestion_request(landing: Path, files: list[Path]) -> dg.RunRequest:
    """One ingestion run for the files, keyed by their paths, sizes and modification times (a file
    changed again is asked for again); a file of no kind is refused by the run of every kind."""
    names = sorted(str(path.relative_to(landing)) for path in files)
    stats = {name: (landing / name).stat() for name in names}
    fingerprint = hashlib.sha256("\n".join(f"{name}|{s.st_size}|{s.st_mtime_ns}" for name, s in stats.items())
                                 .encode()).hexdigest()[:16]
    kinds = {kind_of(path) for path in files} - {None}
    return dg.RunRequest(
        job_name=ingest_exports.name, run_key=f"ingest {fingerprint}",
        asset_selection=[asset_key(kind) for kind in (kinds or KINDS.values())],
        run_config={"ops": {"event_store": {"config": {"files": names}}}})


def runs(instance: dg.DagsterInstance, **filters) -> list[dg.DagsterRun]:
    return list(instance.get_runs(dg.RunsFilter(**filters), limit=1))


def reported_batches(instance: dg.DagsterInstance, after_event: int) -> tuple[set[int], int]:
    """The batches that the ingestion assets' materializations recorded after the event log entry
    `after_event` name, and the last such entry. Read it before the registry: a run registers a
    batch before it records its materialization, so no batch it names is missing from a later read."""
    batches, last = set(), after_event
    for kind in KINDS.values():
        cursor = None
        while True:
            found = instance.fetch_materializations(dg.AssetRecordsFilter(
                asset_key=asset_key(kind), after_storage_id=after_event), limit=100, cursor=cursor)
            for record in found.records:
                reported = record.asset_materialization.metadata.get("batches")
                batches.update(reported.value if reported else [])
                last = max(last, record.storage_id)
            if not found.has_more:
                break
            cursor = found.cursor
    return batches, last


@dg.sensor(jobs=[ingest_exports, refresh_quarters], minimum_interval_seconds=30,
           default_status=dg.DefaultSensorStatus.RUNNING)
def new_exports(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    """Notices the files that appeared or changed in KUMKM_HOME/landing (by the folder's listing and
    the registry of files read, never reading one) and requests an ingestion run for them. Once no
    ingestion run is queued or running, records the batches ingested outside Dagster (`kumkm
    ingest`) as materializations of their kinds' assets with the raw check results stored for them,
    and the batches retracted (`kumkm retract`) as one of ["ingest", "retractions"]; requests one
    refresh of every quarter the events added or retracted since it last looked change: from the
    quarter of their earliest valid_date on. The cursor holds the last batch, the last ingestion
    materialization seen and the number of retractions; without one, every event is new, so the
    first tick builds every quarter with data."""
    home = Home.from_env()
    cursor = Cursor.of(context.cursor)
    try:
        unread = unread_files(home.landing, home.events_db)
    except duckdb.IOException as e:  # another process writes the event store; the next tick looks again
        return dg.SkipReason(f"the event store is in use, trying again next tick: {e}")
    if unread:
        request = ingestion_request(home.landing, unread)
        if not runs(context.instance, tags={"dagster/run_key": request.run_key}):
            return dg.SensorResult(run_requests=[request])
    if runs(context.instance, job_name=ingest_exports.name, statuses=IN_FLIGHT):
        return dg.SkipReason("an ingestion run is queued or running: its quarters are refreshed after it")
    if unread:
        context.log.warning(f"{len(unread)} landed file(s) were not read by their ingestion run, which failed: "
                            "they are asked for again when they change")
    reported, event = reported_batches(context.instance, cursor.event)
    try:
        outside = registered_deliveries(home.events_db, cursor.batch, leaving_out=reported)
        changes = changes_since(home.events_db, cursor.batch, cursor.retractions)
    except duckdb.IOException as e:
        return dg.SkipReason(f"the event store is in use, trying again next tick: {e}")
    checked = stored_batches_checked(home, [r.batch_id for d in outside for r in d.files if r.status == "ingested"])
    asset_events = [dg.AssetMaterialization(asset_key(d.kind), metadata=d.metadata()) for d in outside] \
        + [evaluation(result) for result in checked]
    if changes.retracted:
        asset_events.append(dg.AssetMaterialization(RETRACTIONS.key, metadata={
            "batches_retracted": dg.MetadataValue.json(changes.retracted), "retractions": changes.retractions}))
    earliest = changes.earliest_valid_date
    quarters = quarters_from(earliest, QUARTERS.get_last_partition_key()) if earliest else None
    next_cursor = str(Cursor(changes.batch, event, changes.retractions))
    if quarters is None:
        return dg.SensorResult(skip_reason="no new event in a quarter to build", cursor=next_cursor,
                               asset_events=asset_events)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(job_name=refresh_quarters.name,
                                    run_key=f"{quarters.start}..{quarters.end} after batch {changes.batch}, "
                                            f"retraction {changes.retractions}",
                                    tags={RANGE_START: quarters.start, RANGE_END: quarters.end})],
        cursor=next_cursor, asset_events=asset_events)
