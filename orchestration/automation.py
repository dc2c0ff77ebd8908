"""When the warehouse refreshes: at each quarter's close, and when new exports land."""
import json

import dagster as dg
import duckdb

from ingestion.contract import KINDS
from ingestion.ingest import ingest
from kumkm.home import Home
from orchestration.assets import catalogue, laporan_kinerja, quarterly_figures, serving
from orchestration.checks import RAW_CHECKS, new_batches_checked
from orchestration.landing import asset_key, deliveries, events_since, kind_of, refusals, unseen_files
from orchestration.quarters import QUARTERS, partition_key, quarter_ended_before, quarters_from

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"

refresh_quarters = dg.define_asset_job(
    "refresh_quarters", selection=dg.AssetSelection.assets(catalogue, quarterly_figures, serving, laporan_kinerja),
    description="One dbt build of the partition's quarters with its tests, then publish the serving "
                "database and write each quarter's report. Ingestion is not part of it: the new_exports "
                "sensor ingests.")


@dg.schedule(cron_schedule="0 2 1 1,4,7,10 *", execution_timezone="Asia/Jakarta", job=refresh_quarters,
             default_status=dg.DefaultScheduleStatus.RUNNING)
def quarter_close(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """At 02:00 on the first day of a quarter, builds the quarter that has just ended."""
    return dg.RunRequest(partition_key=partition_key(quarter_ended_before(context.scheduled_execution_time)))


def evaluation(result: dg.AssetCheckResult) -> dg.AssetCheckEvaluation:
    """A check result as a sensor reports it."""
    return dg.AssetCheckEvaluation(asset_key=result.asset_key, check_name=result.check_name, passed=result.passed,
                                   metadata=result.metadata, severity=result.severity,
                                   description=result.description)


@dg.sensor(job=refresh_quarters, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def new_exports(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """Ingests the files that appeared or changed in KUMKM_HOME/landing (reported as materializations
    of their kinds' ingestion assets, with their raw suites' check results), then requests one run that rebuilds every quarter the events
    added since the last tick change, however they were ingested: from the quarter of their earliest
    valid_date on. The cursor holds the fingerprints of the files seen and the last batch handled;
    without one, every event is new, so the first tick builds every quarter with data."""
    home = Home.from_env()
    cursor = json.loads(context.cursor) if context.cursor else {"files": [], "batch": 0}
    files, landed = unseen_files(home.landing, set(cursor["files"]))
    try:
        results = ingest(files, home.events_db) if files else []
        checked = [evaluation(r) for r in new_batches_checked(home, results, [spec.key for spec in RAW_CHECKS])]
        earliest, batch = events_since(home.events_db, cursor["batch"])
    except duckdb.IOException as e:  # another process writes the event store; the cursor stays
        return dg.SensorResult(skip_reason=f"the event store is in use, trying again next tick: {e}")
    for refused in refusals(results):
        context.log.error(f"refused whole: {refused}")
    kinds = [kind for kind in KINDS.values()
             if any(kind_of(r.path) == kind and r.status != "already_ingested" for r in results)]
    asset_events = [dg.AssetMaterialization(asset_key(d.kind), metadata=d.metadata())
                    for d in deliveries(results, home.events_db, kinds)] + checked
    quarters = quarters_from(earliest, QUARTERS.get_last_partition_key()) if earliest else None
    next_cursor = json.dumps({"files": sorted(landed), "batch": batch})
    if quarters is None:
        return dg.SensorResult(skip_reason="no new event in a quarter to build", cursor=next_cursor,
                               asset_events=asset_events)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"{quarters.start}..{quarters.end} after batch {batch}",
                                    tags={RANGE_START: quarters.start, RANGE_END: quarters.end})],
        cursor=next_cursor, asset_events=asset_events)
