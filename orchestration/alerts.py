"""What tells an operator that something is wrong: a failed run (a line in
$KUMKM_HOME/alerts/failed_runs.log, a tag on the run, the sensor's log in the UI), a closed quarter
not published in time, a quarter with no data."""

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import dagster as dg
import duckdb

from kumkm.home import Home
from kumkm.warehouse import Quarter
from orchestration.assets import QUARTERLY_MARTS
from orchestration.checks import SERVING
from orchestration.dbt_runs import quarter_number, run_partitions
from orchestration.operations import RETRY_WHEN_LOCKED
from orchestration.quarters import QUARTERS, closed_at, partition_key, quarter_ended_before

# --- a quarter with no data ----------------------------------------------------------------------

HAS_DATA = "quarter_has_data"


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(HAS_DATA, asset=key, partitions_def=QUARTERS,
                             description="The quarter has rows: a quarter the events hold no data of is "
                                         "built empty, and warned about here rather than shown as done.")
           for key in QUARTERLY_MARTS],
    can_subset=True, name="quarters_with_data", retry_policy=RETRY_WHEN_LOCKED)
def quarters_with_data(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckEvaluation]:
    """Per quarterly mart and quarter of the run (every quarter when run on its own), a warning when
    the transform database holds no row of that quarter."""
    partitions = run_partitions(context) or QUARTERS.get_partition_keys()
    marts = [key.asset_key for key in context.selected_asset_check_keys]
    for mart, rows in quarter_rows(Home.from_env().transform_db, marts, partitions).items():
        for partition, n in rows.items():
            yield dg.AssetCheckEvaluation(
                asset_key=mart, check_name=HAS_DATA, partition=partition, passed=n > 0,
                severity=dg.AssetCheckSeverity.WARN, metadata={"rows": n},
                description=f"{n} rows" if n else "no data for this quarter: the events hold no record of it")


def quarter_rows(transform_db: Path, marts: list[dg.AssetKey],
                 partitions: list[str]) -> dict[dg.AssetKey, dict[str, int]]:
    numbers = [quarter_number(key) for key in partitions]
    con = duckdb.connect(str(transform_db), read_only=True)
    try:
        counts = {mart: dict(con.execute(
            f"select tahun * 10 + triwulan, count(*) from marts.{mart.path[-1]} "
            "where tahun * 10 + triwulan in (select unnest($numbers)) group by 1", {"numbers": numbers}).fetchall())
            for mart in marts}
    finally:
        con.close()
    return {mart: {key: rows.get(quarter_number(key), 0) for key in partitions} for mart, rows in counts.items()}


# --- a closed quarter not published in time ------------------------------------------------------

PUBLISHED_WITHIN_DAYS = 7


def quarter_due(moment: datetime) -> Quarter:
    """The last quarter whose deadline, PUBLISHED_WITHIN_DAYS after its close, has passed at `moment`."""
    return quarter_ended_before(moment - timedelta(days=PUBLISHED_WITHIN_DAYS))


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec("closed_quarter_published", asset=key,
                             description=f"The quarter that closed is published within {PUBLISHED_WITHIN_DAYS} "
                                         "days of its close: its partition built after that moment, then served.")
           for key in QUARTERLY_MARTS],
    can_subset=True, name="closed_quarters_published")
def closed_quarters_published(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
    """Fails for a quarterly mart whose last closed quarter, its deadline passed, has not been built
    since it closed and served after that build (the quarter_close run failed, never ran, or its
    quality gate held the quarter back)."""
    quarter = quarter_due(datetime.now(timezone.utc))
    closed = closed_at(quarter)
    for key in context.selected_asset_check_keys:
        built = last_materialized(context.instance, key.asset_key, quarter, closed.timestamp())
        served = built and last_materialized(context.instance, SERVING, quarter, built.timestamp)
        metadata = {"quarter": str(quarter), "closed_at": dg.MetadataValue.timestamp(closed),
                    "deadline": dg.MetadataValue.timestamp(closed + timedelta(days=PUBLISHED_WITHIN_DAYS))}
        if built:
            metadata["built_at"] = dg.MetadataValue.timestamp(built.timestamp)
        if served:
            metadata["served_at"] = dg.MetadataValue.timestamp(served.timestamp)
        yield dg.AssetCheckResult(
            asset_key=key.asset_key, check_name=key.name, passed=bool(served), metadata=metadata,
            description=f"{quarter} built and served since it closed" if served else
            f"{quarter} closed on {closed:%Y-%m-%d} and is not {'served' if built else 'built'} "
            f"{PUBLISHED_WITHIN_DAYS} days later")


def last_materialized(instance: dg.DagsterInstance, key: dg.AssetKey, quarter: Quarter,
                      after: float) -> dg.EventLogRecord | None:
    """The latest materialization of the quarter's partition of `key` after the moment `after`."""
    records = instance.fetch_materializations(dg.AssetRecordsFilter(
        asset_key=key, asset_partitions=[partition_key(quarter)], after_timestamp=after), limit=1).records
    return records[0] if records else None


check_freshness = dg.define_asset_job(
    "check_freshness", selection=dg.AssetSelection.checks(closed_quarters_published),
    description="Whether each quarterly mart's closed quarter was built in time.")


@dg.schedule(cron_schedule="0 8 * * *", execution_timezone="Asia/Jakarta", job=check_freshness,
             default_status=dg.DefaultScheduleStatus.RUNNING)
def freshness_daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every morning at 08:00 WIB, whether the closed quarter was built in time."""
    return dg.RunRequest()


# --- a failed run --------------------------------------------------------------------------------

ALERT_TAG = "kumkm/alert"


def alerts_log(home: Home) -> Path:
    return home.root / "alerts" / "failed_runs.log"


def failure_line(run: dg.DagsterRun, steps: list[tuple[str, str]], message: str, at: datetime) -> str:
    """One line per failed run: when, which job and quarters, which steps failed and why."""
    tags = run.tags
    quarters = tags.get("dagster/partition") or "..".join(
        tags[t] for t in ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end") if t in tags)
    why = "; ".join(f"{step}: {error}" for step, error in steps) or message
    return (f"{at:%Y-%m-%d %H:%M:%S} UTC  run {run.run_id} of {run.job_name}"
            f"{f' ({quarters})' if quarters else ''} failed: {why}")


def first_line(text: str | None) -> str:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


def why_step_failed(event: dg.DagsterEvent) -> str:
    failure = event.step_failure_data
    described = failure.user_failure_data and failure.user_failure_data.description
    return first_line(described or (failure.error and failure.error.message))


@dg.run_failure_sensor(name="failed_runs", minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def failed_runs(context: dg.RunFailureSensorContext) -> None:
    """Records every failed run of this code location where an operator looks: a line in
    $KUMKM_HOME/alerts/failed_runs.log, the tag kumkm/alert on the run, and this sensor's log."""
    steps = [(event.step_key, why_step_failed(event)) for event in context.get_step_failure_events()]
    line = failure_line(context.dagster_run, steps, first_line(context.failure_event.message),
                        datetime.now(timezone.utc))
    path = alerts_log(Home.from_env())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(line + "\n")
    context.instance.add_run_tags(context.dagster_run.run_id, {ALERT_TAG: str(path)})
    context.log.error(line)
