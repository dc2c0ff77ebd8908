"""Dagster: the definitions, quarters as partitions, the schedules and sensors, the Great Expectations
suites and dbt tests as asset checks, and runs on copies of the demo warehouse (real Dagster, dbt,
Great Expectations and DuckDB), among them a backfill launched as the UI launches one and run by
Dagster's own backfill daemon."""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import pytest
from click.testing import CliRunner
from dagster._core.execution.backfill import BulkActionStatus, PartitionBackfill
from dagster._core.test_utils import create_test_daemon_workspace_context
from dagster._core.utils import make_new_backfill_id, make_new_run_id
from dagster._core.workspace.load_target import ModuleTarget
from dagster._daemon.backfill import execute_backfill_iteration

from chromium import ARTIFACTS, CHROMIUM, FLAGS
from conftest import INDIKATOR_HEADER, query, restaged, seven_kinds, write_csv
from expectations.runner import load_suites
from ingestion.contract import KINDS
from ingestion.ingest import ingest
from kumkm.cli import main as kumkm_cli
from kumkm.home import Home
from kumkm.refresh import QualityGateFailed
from kumkm.warehouse import Quarter
from orchestration.alerts import (ALERT_TAG, HAS_DATA, alerts_log, closed_quarters_published, failed_runs, quarter_due,
                                  quarters_with_data)
from orchestration.assets import (LAPORAN, MARTS, QUARTERLY_MARTS, catalogue, event_store, laporan_kinerja,
                                  quarterly_figures, serving)
from orchestration.automation import new_exports, quarter_close
from orchestration.checks import SERVING, model_expectations
from orchestration.dbt_runs import KNOWN_AT_TAG, MANIFEST
from orchestration.definitions import defs
from orchestration.instance import HomeEventLogStorage, HomeInstance, dagster_home
from orchestration.landing import asset_key, kind_of, unread_files
from orchestration.operations import DATA_TEAM, RETRY_WHEN_LOCKED, failed
from orchestration.quarters import JAKARTA, QUARTERS, partition_key, quarter_ended_before, quarters_from, quarters_of
from test_expectations import BREAKS, corrupt, fingerprint

ROOT = Path(__file__).resolve().parent.parent
Q4_2025, Q1_2026 = "2025-10-01", "2026-01-01"
CHROMIUM_FLAGS = [*FLAGS, "--virtual-time-budget=30000"]
ERROR, WARN = dg.AssetCheckSeverity.ERROR, dg.AssetCheckSeverity.WARN
ALL_DEFINITIONS = [event_store, catalogue, quarterly_figures, serving, laporan_kinerja, model_expectations,
                   quarters_with_data, closed_quarters_published]
# The singular dbt tests that read several models (or a model and a seed), and the model each names.
SINGULAR_TESTS = {node["name"]: node["config"]["meta"].get("dagster", {}).get("ref", {}).get("name")
                  for node in MANIFEST["nodes"].values() if node["resource_type"] == "test"
                  and not node.get("test_metadata") and len(set(node["depends_on"]["nodes"])) > 1}


def mart_rows(served: Path) -> dict[str, list[tuple]]:
    """Every mart table's rows, known_at left out."""
    tables = query(served, "select table_name, bool_or(column_name = 'known_at') from information_schema.columns "
                   "where table_schema = 'marts' group by 1 order by 1")
    return {t: query(served, f"select * {'exclude (known_at)' if has_k else ''} from marts.{t} order by all")
            for t, has_k in tables}


def known_at(database: Path) -> dict[int, datetime]:
    """The knowledge time of each quarter built (as tahun * 10 + triwulan)."""
    return dict(query(database, "select distinct tahun * 10 + triwulan, known_at from marts.fct_indicator_quarterly"))


# The column of each mart that says the K it was built at (marts.md); fct_indicator_published's known_at
# and fct_indicator_restatement's are a publication's K, the kecamatan breakdowns say none.
BUILT_AT = {"fct_indicator_quarterly": "known_at", "fct_budget_quarterly": "known_at",
            "fct_efisiensi_quarterly": "known_at", "fct_publikasi_audit": "known_at",
            "fct_indicator_basis": "known_at", "fct_budget_basis": "known_at",
            "fct_indicator_restatement": "known_at_kini"}


def knowledge_times(database: Path, quarter: int) -> set[datetime]:
    """The knowledge times the quarter's rows carry in every mart that says the K it was built at."""
    saying_k = {t for (t,) in query(database, "select distinct table_name from information_schema.columns "
                                              "where table_schema = 'marts' and column_name like 'known_at%'")}
    assert saying_k == {*BUILT_AT, "fct_indicator_published"}
    return {k for mart, column in BUILT_AT.items() for (k,) in query(
        database, f"select distinct {column} from marts.{mart} where tahun * 10 + triwulan = {quarter}")}


def rebuilt(before: dict, after: dict) -> list[int]:
    return sorted(q for q in after if after[q] != before.get(q))


def values(metadata: dict) -> dict:
    return {k: v.value for k, v in metadata.items()}


def metadata(event) -> dict:
    return values(event.materialization.metadata)


def check_metadata(evaluation: dg.AssetCheckEvaluation) -> dict:
    return values(evaluation.metadata)


def run_k(instance: dg.DagsterInstance, run_id: str) -> datetime:
    return datetime.fromisoformat(instance.get_run_by_id(run_id).tags[KNOWN_AT_TAG])


def utc_timestamp(k: datetime) -> float:
    return k.replace(tzinfo=timezone.utc).timestamp()


# --- definitions ---------------------------------------------------------------------------------

def test_definitions_load_with_readable_keys_groups_partitions_and_owners():
    dg.Definitions.validate_loadable(defs)
    graph = defs.get_repository_def().asset_graph
    ingestion = {asset_key(kind) for kind in KINDS.values()}
    assert ingestion == {dg.AssetKey(k) for k in (["ods", "rat"], ["ods", "kegiatan"], ["sip3", "umkm"],
                         ["sip3", "pembinaan"], ["ledger", "anggaran"], ["ledger", "realisasi"],
                         ["manual", "indikator"], ["manual", "publikasi"])}
    for key in ingestion:
        assert graph.get(key).group_name == "ingestion" and graph.get(key).partitions_def is None
        assert graph.get(key).owners == [f"team:operator-{key.path[0]}", DATA_TEAM]
    assert graph.get(dg.AssetKey(["staging", "stg_ods__rats"])).parent_keys == {  # and the batches retracted
        dg.AssetKey(["ods", "rat"]), dg.AssetKey(["ingest", "retractions"])}
    for key, group, partitioned in [(["staging", "stg_sip3__umkms"], "staging", True),
                                    (["intermediate", "int_quarters"], "intermediate", True),
                                    (["marts", "fct_indicator_quarterly"], "marts", True),
                                    (["marts", "dim_program"], "marts", True),
                                    (["marts", "dim_indicator"], "marts", False),
                                    (["seeds", "indikator"], "seeds", False),
                                    (["serving"], "serving", True), (["laporan_kinerja"], "serving", True)]:
        node = graph.get(dg.AssetKey(key))
        assert (node.group_name, node.partitions_def) == (group, QUARTERS if partitioned else None), key
        assert node.owners == [DATA_TEAM], key
    for key in (*quarterly_figures.keys, *catalogue.keys):  # every model and seed: described, linked to its file
        node = graph.get(key)
        assert node.description and not node.description.startswith("dbt "), key
        [reference] = node.metadata["dagster/code_references"].code_references
        assert Path(reference.file_path).is_file(), key
    for assets_def in (event_store, serving, laporan_kinerja):
        for key in assets_def.keys:
            [reference] = graph.get(key).metadata["dagster/code_references"].code_references
            assert reference.file_path.endswith("orchestration/assets.py"), key
    for key in (["ingest", "retractions"], ["terbit", "angka"]):  # the tables dbt reads besides the events
        node = graph.get(dg.AssetKey(key))
        assert node.description and not node.is_executable and node.owners == [DATA_TEAM], key
    assert graph.get(SERVING).parent_keys == set(MARTS) and len(MARTS) == 13 and len(QUARTERLY_MARTS) == 5
    checks = graph.asset_check_keys
    assert dg.AssetCheckKey(dg.AssetKey(["ods", "rat"]), "raw__ods_rat") in checks
    assert {c.name for c in checks if c.asset_key == dg.AssetKey(["marts", "fct_indicator_quarterly"])} >= {
        "fct_indicator_quarterly_well_formed", "marts__fct_indicator_quarterly"}  # its dbt test, its suite
    assert len(SINGULAR_TESTS) == 6
    for name, model in SINGULAR_TESTS.items():  # a check on the model it names (meta dagster.ref)
        [key] = [c for c in checks if c.name == name]
        assert key.asset_key.path[-1] == model, name
    job = defs.resolve_job_def("refresh_quarters")
    assert job.partitions_def == QUARTERS and job.executor_def is dg.in_process_executor
    assert job.asset_layer.asset_graph.get_all_asset_keys() >= {*quarterly_figures.keys, SERVING, LAPORAN}
    assert not set(catalogue.keys) & job.asset_layer.executable_asset_keys  # the catalogue: built along when changed
    for assets_def in (event_store, catalogue, quarterly_figures, serving, laporan_kinerja, model_expectations,
                       quarters_with_data):  # every step that opens a DuckDB file
        assert assets_def.op.retry_policy == RETRY_WHEN_LOCKED
    for assets_def in (quarterly_figures, serving, laporan_kinerja):
        assert assets_def.backfill_policy == dg.BackfillPolicy.single_run()


def test_dagster_definitions_validate(tmp_path):
    """What CI runs of Dagster's own checks: `dagster definitions validate`."""
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home(Home(tmp_path / "home")))}
    done = subprocess.run([str(Path(sys.executable).parent / "dagster"), "definitions", "validate",
                           "-m", "orchestration.definitions"], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "All code locations passed validation." in done.stdout + done.stderr


def test_every_suite_is_a_check_on_the_asset_of_its_table():
    graph = defs.get_repository_def().asset_graph
    layer_groups = {"raw": {"ingestion"}, "staging": {"staging"}, "marts": {"marts", "serving"}}
    for suite in load_suites():
        [key] = [key for key in graph.asset_check_keys if key.name == suite.name]
        table = suite.meta["table"]  # events.ods.rat, staging.stg_ods__rats, marts (the schema served)
        assert key.asset_key.path[-1] == (table.rsplit(".", 1)[1] if "." in table else "serving"), suite.name
        assert graph.get(key.asset_key).group_name in layer_groups[suite.meta["layer"]], suite.name
        blocking = any(e.meta["severity"] == "blocking" for e in suite.expectations)
        assert graph.get_check_spec(key).blocking == blocking, suite.name


def test_partitions_are_quarters_from_the_first_quarter_with_data():
    assert quarters_of(QUARTERS.time_window_for_partition_key(Q4_2025)) == (Quarter(2025, 4), Quarter(2025, 4))
    backfill = dg.TimeWindow(datetime(2024, 1, 1, tzinfo=JAKARTA), datetime(2026, 1, 1, tzinfo=JAKARTA))
    assert quarters_of(backfill) == (Quarter(2024, 1), Quarter(2025, 4))
    assert partition_key(Quarter(2025, 4)) == Q4_2025 and QUARTERS.get_first_partition_key() == "2021-01-01"
    assert quarter_ended_before(datetime(2025, 12, 31, 19, 0, tzinfo=timezone.utc)) == Quarter(2025, 4)  # 02:00 WIB
    assert quarter_ended_before(datetime(2025, 7, 1, 2, 0, tzinfo=JAKARTA)) == Quarter(2025, 2)


def test_events_change_their_quarter_and_every_later_one_that_exists():
    assert quarters_from(date(2025, 12, 31), "2026-10-01") == dg.PartitionKeyRange(Q4_2025, "2026-10-01")
    assert quarters_from(date(2023, 5, 17), Q4_2025) == dg.PartitionKeyRange("2023-04-01", Q4_2025)
    assert quarters_from(date(2020, 5, 17), Q4_2025) == dg.PartitionKeyRange("2021-01-01", Q4_2025)
    assert quarters_from(date(2026, 1, 2), Q4_2025) is None


def test_schedule_builds_the_partition_of_the_quarter_that_just_ended():
    assert (quarter_close.cron_schedule, quarter_close.execution_timezone) == ("0 2 1 1,4,7,10 *", "Asia/Jakarta")
    assert quarter_close.job_name == "refresh_quarters"
    tick = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 1, 1, 2, 0, tzinfo=JAKARTA))
    request = quarter_close(tick)
    assert (request.partition_key, request.run_key) == (Q4_2025, Q4_2025)


def test_a_closed_quarter_is_due_a_week_after_its_close():
    assert quarter_due(datetime(2026, 1, 7, 23, 0, tzinfo=JAKARTA)) == Quarter(2025, 3)
    assert quarter_due(datetime(2026, 1, 8, 1, 0, tzinfo=JAKARTA)) == Quarter(2025, 4)


def test_dagster_instance_lives_in_the_home(tmp_path):
    folder = dagster_home(Home(tmp_path / "home"))
    assert folder == tmp_path / "home" / "dagster" and (folder / "dagster.yaml").exists()
    instance = dg.DagsterInstance.from_config(str(folder))
    try:
        assert isinstance(instance, HomeInstance) and isinstance(instance.event_log_storage, HomeEventLogStorage)
        assert type(instance.run_storage).__name__ == "SqliteRunStorage"
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        assert not instance.telemetry_enabled
        assert not instance.nux_enabled  # no "Join the Dagster community" pop-up
    finally:
        instance.dispose()


@dg.asset
def counted() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"dagster/row_count": 3})


@dg.asset_check(asset=counted)
def counted_rows() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


COUNTED = dg.Definitions(assets=[counted], asset_checks=[counted_rows]).resolve_implicit_global_asset_job_def()


def test_a_run_stored_by_the_home_instance_reads_back_in_dagsters_own_files(tmp_path):
    """The home's instance stores a run with its event log kept open; Dagster's own SQLite storage of the
    same folder (a home made before this storage has it) reads it meanwhile."""
    folder = dagster_home(Home(tmp_path / "home"))
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "dagster.yaml").write_text(f"storage:\n  sqlite:\n    base_dir: {folder}\n")
    with dg.DagsterInstance.from_config(str(folder)) as instance:
        run = COUNTED.execute_in_process(instance=instance)
        assert (folder / "history" / "runs" / f"{run.run_id}.db-wal").exists()  # the log still open
        with dg.DagsterInstance.from_config(str(plain)) as reader:
            assert type(reader.event_log_storage).__name__ == "SqliteEventLogStorage"
            for other in (instance, reader):
                assert other.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.SUCCESS
                [materialization] = run_events(other, run.run_id, dg.DagsterEventType.ASSET_MATERIALIZATION)
                assert metadata(materialization.event_specific_data) == {"dagster/row_count": 3}
                latest = other.get_latest_materialization_event(counted.key)
                assert latest and latest.run_id == run.run_id
                [evaluation] = run_events(other, run.run_id, dg.DagsterEventType.ASSET_CHECK_EVALUATION)
                assert evaluation.event_specific_data.passed
                record = other.event_log_storage.get_latest_asset_check_execution_by_key(
                    [counted_rows.check_key])[counted_rows.check_key]
                assert (record.run_id, record.status.value) == (run.run_id, "SUCCEEDED")


def test_the_ui_sees_each_event_of_a_run_as_it_is_stored(tmp_path):
    """The webserver watches a run's database to stream its events; they reach its write-ahead log
    first (the storing process keeps it open), which the home's instance watches too."""
    folder = dagster_home(Home(tmp_path / "home"))
    run_id = make_new_run_id()
    seen: list[dg.DagsterEventType] = []
    with dg.DagsterInstance.from_config(str(folder)) as ui, dg.DagsterInstance.from_config(str(folder)) as runner:
        ui.watch_event_logs(run_id, None, lambda entry, _cursor: seen.append(entry.dagster_event_type))
        COUNTED.execute_in_process(instance=runner, run_id=run_id)
        deadline = time.monotonic() + 20
        while dg.DagsterEventType.RUN_SUCCESS not in seen and time.monotonic() < deadline:
            time.sleep(0.1)
        stored = [r.event_log_entry.dagster_event_type for r in runner.get_records_for_run(run_id).records]
        assert seen == stored and seen[-1] == dg.DagsterEventType.RUN_SUCCESS  # before the runner closed its log


def test_unread_files_are_new_or_changed_since_their_last_reading(tmp_path):
    landing, events_db = tmp_path / "landing", tmp_path / "events.duckdb"
    kegiatan = write_csv(landing / "ods" / "kegiatan_20250331.csv", ["id_kegiatan"], [["K-1"]])
    odd = write_csv(landing / "ods" / "laporan rat.csv", ["nik"], [["1"]])
    assert unread_files(landing, events_db) == [kegiatan, odd]  # no event store yet
    ingest([kegiatan, odd], events_db)  # both read: one refused, one without its required columns
    assert unread_files(landing, events_db) == []
    write_csv(kegiatan, ["id_kegiatan"], [["K-1"], ["K-2"]])
    assert unread_files(landing, events_db) == [kegiatan]
    odd.touch()  # modified after its reading, same size
    assert unread_files(landing, events_db) == [kegiatan, odd]


def test_ingestion_assets_report_each_kind_and_fail_on_a_refused_file(home):
    landed = {asset_key(kind_of(path)) for path in seven_kinds(home / "landing").values()}
    (home / "landing" / "ods" / "laporan rat.xlsx").write_bytes(b"")
    (home / "landing" / "ods" / "rat_20250401.csv").symlink_to(write_csv(home / "elsewhere.csv", ["nik"], [["1"]]))
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([event_store], instance=instance, raise_on_error=False)
    assert not result.success
    [failure] = result.get_step_failure_events()
    assert "laporan rat.xlsx" in str(failure.step_failure_data.user_failure_data.metadata["refused"].value)
    assert [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY] == []
    assert f"skipped {home / 'landing' / 'ods' / 'rat_20250401.csv'}: a link to outside the folder ingested" in [
        entry.user_message for entry in instance.all_logs(result.run_id)]
    (home / "landing" / "ods" / "rat_20250401.csv").unlink()
    reported = {e.asset_key: metadata(e) for e in result.get_asset_materialization_events()}
    assert set(reported) == {asset_key(kind) for kind in KINDS.values()}
    for key, m in reported.items():
        assert (m["files_ingested"], m["rows_read"], m["events_added"], m["events_known"], m["rows_rejected"],
                m["files_refused"], len(m["batches"])) == ((1, 3, 2, 0, 1, 0, 1) if key in landed
                                                           else (0, 0, 0, 0, 0, 0, 0)), key
    assert reported[dg.AssetKey(["manual", "indikator"])]["earliest_valid_date"] == "2025-12-31"
    raw = {c.asset_key: c for c in result.get_asset_check_evaluations()}
    assert set(raw) == landed  # the raw suite of each kind on its new batch
    for key, check in raw.items():
        m = check_metadata(check)
        assert (check.check_name, m["failed_blocking"], m["batches"]) == (
            "raw__" + "_".join(key.path), 0, reported[key]["batches"])

    (home / "landing" / "ods" / "laporan rat.xlsx").unlink()
    again = dg.materialize([event_store], instance=instance)
    for key, m in ((e.asset_key, metadata(e)) for e in again.get_asset_materialization_events()):
        assert (m["files_already_ingested"], m["events_added"]) == ((1 if key in landed else 0), 0)
    assert again.get_asset_check_evaluations() == []  # no new batch to check

    one = dg.materialize([event_store], instance=instance, run_config={"ops": {"event_store": {"config": {
        "files": ["ods/rat_20250331.xlsx"]}}}}, selection=[dg.AssetKey(["ods", "rat"])])
    [rat] = [metadata(e) for e in one.get_asset_materialization_events()]
    assert (rat["files"], rat["files_already_ingested"]) == (1, 1)  # the files named, not the whole landing folder


# --- a backfill, as the UI launches one ----------------------------------------------------------

# Runs launched by the daemon execute at once, in this process.
SYNCHRONOUS = {"run_launcher": {"module": "dagster._core.launcher.sync_in_memory_run_launcher",
                                "class": "SyncInMemoryRunLauncher"},
               "run_coordinator": {"module": "dagster._core.run_coordinator", "class": "DefaultRunCoordinator"}}


def backfilled_by_the_daemon(instance: dg.DagsterInstance, keys: list[dg.AssetKey],
                             partitions: list[str]) -> PartitionBackfill:
    """A backfill as the UI's "Materialize" of a partition range makes one (launchPartitionBackfill),
    run to its end by iterations of Dagster's backfill daemon over the code location, loaded in a code
    server of its own as `dagster dev` loads it."""
    target = ModuleTarget(module_name="orchestration.definitions", attribute=None, working_directory=str(ROOT),
                          location_name="kumkm")
    with create_test_daemon_workspace_context(target, instance) as workspace:
        backfill = PartitionBackfill.from_asset_partitions(
            backfill_id=make_new_backfill_id(), asset_graph=workspace.create_request_context().asset_graph,
            partition_names=partitions, asset_selection=keys, backfill_timestamp=time.time(), tags={},
            dynamic_partitions_store=instance, all_partitions=False, title=None, description=None, run_config=None)
        instance.add_backfill(backfill)
        for _ in range(10):
            list(execute_backfill_iteration(workspace, logging.getLogger("backfill")))
            if instance.get_backfill(backfill.backfill_id).status != BulkActionStatus.REQUESTED:
                break
    return instance.get_backfill(backfill.backfill_id)


def run_events(instance: dg.DagsterInstance, run_id: str, event_type: dg.DagsterEventType) -> list[dg.DagsterEvent]:
    return [r.event_log_entry.dagster_event for r in instance.get_records_for_run(run_id, of_type=event_type).records]


@pytest.fixture(scope="module")
def backfilled(demo_home, tmp_path_factory):
    """A copy of the demo warehouse (built by `kumkm demo`) and a backfill of the job refresh_quarters'
    assets over 2025Q4..2026Q1 (a quarter with data, one without), launched and run as from the UI;
    what it did, read from the instance."""
    root = tmp_path_factory.mktemp("backfill") / "home"
    shutil.copytree(demo_home, root)
    served = root / "serving.duckdb"
    by_cli = SimpleNamespace(marts=mart_rows(served), known_at=known_at(served))
    with pytest.MonkeyPatch.context() as env, dg.instance_for_test(overrides=SYNCHRONOUS) as instance:
        env.setenv("KUMKM_HOME", str(root))
        backfill = backfilled_by_the_daemon(instance, [*quarterly_figures.keys, SERVING, LAPORAN], [Q4_2025, Q1_2026])
        runs = instance.get_runs()
        events = {kind: [e for run in runs for e in run_events(instance, run.run_id, kind)]
                  for kind in (dg.DagsterEventType.ASSET_MATERIALIZATION, dg.DagsterEventType.ASSET_CHECK_EVALUATION,
                               dg.DagsterEventType.ASSET_OBSERVATION, dg.DagsterEventType.STEP_SUCCESS)}
        return SimpleNamespace(
            root=root, backfill=backfill, runs=runs, by_cli=by_cli, marts=mart_rows(served), known_at=known_at(served),
            k=run_k(instance, runs[0].run_id) if runs else None,
            materializations=[e.event_specific_data.materialization
                              for e in events[dg.DagsterEventType.ASSET_MATERIALIZATION]],
            checks=[e.event_specific_data for e in events[dg.DagsterEventType.ASSET_CHECK_EVALUATION]],
            observations=events[dg.DagsterEventType.ASSET_OBSERVATION],
            steps=[e.step_key for e in events[dg.DagsterEventType.STEP_SUCCESS]],
            warnings=[entry.user_message for run in runs for entry in instance.all_logs(run.run_id)
                      if entry.level >= logging.WARNING])


def materialized(built, key: dg.AssetKey, partition: str | None = None) -> dict:
    [m] = [m for m in built.materializations if m.asset_key == key and m.partition == partition]
    return values(m.metadata)


def test_a_backfill_of_a_range_is_one_run_with_one_knowledge_time(backfilled):
    built = backfilled
    assert built.backfill.status == BulkActionStatus.COMPLETED_SUCCESS
    [run] = built.runs
    assert (run.tags["dagster/asset_partition_range_start"], run.tags["dagster/asset_partition_range_end"]) \
        == (Q4_2025, Q1_2026)
    k = built.k  # the backfill's launch, as every model of the run read it
    assert utc_timestamp(k) == pytest.approx(built.backfill.backfill_timestamp, abs=1e-6)
    assert knowledge_times(built.root / "serving.duckdb", 20254) == {k}
    assert knowledge_times(built.root / "transform.duckdb", 20254) == {k}
    assert rebuilt(built.by_cli.known_at, built.known_at) == [20254]  # 2026Q1 has no data
    for key in quarterly_figures.keys:
        for partition in (Q4_2025, Q1_2026):
            assert materialized(built, key, partition)["known_at"] == utc_timestamp(k), (key, partition)
    assert {m.partition for m in built.materializations if m.asset_key == SERVING} == {Q4_2025, Q1_2026}
    assert {m.partition for m in built.materializations if m.asset_key == LAPORAN} == {Q4_2025, Q1_2026}


def test_every_partition_shows_its_row_count_and_an_empty_quarter_warns(backfilled):
    built = backfilled
    indicators = dg.AssetKey(["marts", "fct_indicator_quarterly"])
    [(rows,)] = query(built.root / "serving.duckdb", "select count(*) from marts.fct_indicator_quarterly "
                      "where tahun = 2025 and triwulan = 4")
    assert (materialized(built, indicators, Q4_2025)["dagster/row_count"], rows) == (16, 16)
    assert materialized(built, indicators, Q1_2026)["dagster/row_count"] == 0
    assert materialized(built, LAPORAN, Q1_2026) == {"dagster/row_count": 0}  # no figures: no report
    assert materialized(built, LAPORAN, Q4_2025)["dagster/row_count"] == 16
    served = materialized(built, SERVING, Q1_2026)
    assert (served["dagster/row_count"], served["rows fct_indicator_quarterly"]) == (0, 0)
    assert materialized(built, SERVING, Q4_2025)["rows fct_indicator_quarterly"] == 16
    columns = {c.name: c.type for c in materialized(built, indicators, Q4_2025)["dagster/column_schema"].columns}
    assert (columns["kode_indikator"], columns["known_at"], columns["nilai"]) \
        == ("VARCHAR", "TIMESTAMP", "DECIMAL(38,10)")
    staging = materialized(built, dg.AssetKey(["staging", "stg_ods__rats"]), Q4_2025)  # no quarters: all its rows
    assert staging["dagster/row_count"] == query(built.root / "transform.duckdb",
                                                 "select count(*) from staging.stg_ods__rats")[0][0] > 0
    assert "dagster/column_schema" in staging
    has_data = {(c.asset_key, c.partition): c for c in built.checks if c.check_name == HAS_DATA}
    assert set(has_data) == {(mart, partition) for mart in QUARTERLY_MARTS for partition in (Q4_2025, Q1_2026)}
    for mart in QUARTERLY_MARTS:
        assert has_data[mart, Q4_2025].passed
        empty = has_data[mart, Q1_2026]
        assert (empty.passed, empty.severity, check_metadata(empty)["rows"]) == (False, WARN, 0)


def test_the_backfill_serves_2025q4_with_its_report(backfilled):
    built = backfilled
    assert query(built.root / "serving.duckdb", "select nilai_dibulatkan from marts.fct_indicator_quarterly "
                 "where kode_indikator = 'IKU-01' and tahun = 2025 and triwulan = 4") == [(Decimal("20.06"),)]
    assert built.marts == built.by_cli.marts  # the same figures as `kumkm demo`'s refresh
    report = materialized(built, LAPORAN, Q4_2025)
    path = built.root / "reports" / "laporan_kinerja_2025Q4.html"
    assert report["path"] == str(path) and report["bytes"] == path.stat().st_size
    assert "Laporan Kinerja Triwulan IV Tahun 2025" in path.read_text(encoding="utf-8")
    assert "| IKU-01 | Persentase Koperasi yang Berkualitas | 20,00 | 20,06 | 100,30% | SB |" in report["preview"]
    assert "pagu Rp 12.545.556.074, realisasi Rp 10.418.539.476, serapan 83,05%" in report["preview"]
    assert built.steps.index("laporan_kinerja") > built.steps.index("serving")
    generic_tests = {node["name"] for node in MANIFEST["nodes"].values()
                     if node["resource_type"] == "test" and node.get("test_metadata")
                     and not node["depends_on"]["nodes"][-1].startswith("source.")}
    checked = {c.check_name for c in built.checks}
    assert generic_tests | set(SINGULAR_TESTS) <= checked
    assert not [c for c in built.checks if not c.passed and c.severity == ERROR
                and c.check_name != "closed_quarter_published"]  # the demo's clock: see test_freshness_*


def test_the_backfill_checks_every_model_suite_once_and_the_schema_before_serving(backfilled):
    built = backfilled
    suites = {c.check_name: c for c in built.checks if c.check_name.startswith(("staging__", "marts__"))}
    graph = defs.get_repository_def().asset_graph
    of_the_catalogue = {key.name for key in graph.asset_check_keys
                        if key.asset_key in catalogue.keys and key.name.startswith("marts__")}
    assert of_the_catalogue == {"marts__dim_indicator", "marts__dim_kecamatan"}  # not in the job: the gate's
    assert set(suites) == {s.name for s in load_suites(("staging", "marts"))} - of_the_catalogue
    runs = {check_metadata(c)["results_run"] for name, c in suites.items() if name != "marts__schema"}
    assert len(runs) == 1  # one validation of the built warehouse
    schema = suites["marts__schema"]
    assert schema.asset_key == SERVING
    assert query(built.root / "quality" / "results.duckdb", "select distinct suite from results where run_id = ? "
                 "order by 1", [check_metadata(schema)["results_run"]]) == [(name,) for name in sorted(
                     {"marts__schema", *of_the_catalogue})]  # what no check of the run validated
    for check in suites.values():
        m = check_metadata(check)
        assert m["failed_blocking"] == 0 and m["results_page"] == str(built.root / "quality" / "index.html")
        assert (check.passed, check.severity) == ((True, ERROR) if m["failed_warning"] == 0 else (False, WARN))
    indicators = suites["marts__fct_indicator_quarterly"]
    assert (indicators.passed, check_metadata(indicators)["failed_warning"]) == (False, 1)
    table = check_metadata(indicators)["expectations"]
    assert "| warning | warning | every indicator with a target has a value" in table
    assert "| passed | blocking | one row per indicator × quarter | 0 of 320 rows unexpected | 0 | 320 |" in table


def test_the_run_logs_no_warnings_and_no_test_as_an_observation(backfilled):
    assert backfilled.observations == []
    assert backfilled.warnings == []


# --- one mart, a failing check, every check alone, a locked database, a failed run -------------

def test_materialising_one_mart_builds_what_it_reads_with_the_same_k(warehouse):
    """The UI's "Materialize" of one mart's partition: the models it reads are built along with the run's K,
    the catalogue too when it changed since the home's last build of it (here: never built by Dagster)."""
    transform = warehouse / "transform.duckdb"
    instance = dg.DagsterInstance.ephemeral()
    budget = dg.AssetKey(["marts", "fct_budget_quarterly"])
    indicators = dg.AssetKey(["marts", "fct_indicator_quarterly"])
    indicators_before = query(transform, "select distinct known_at from marts.fct_indicator_quarterly "
                              "where tahun = 2025 and triwulan = 4")
    first = dg.materialize([catalogue, quarterly_figures], selection=[budget], partition_key=Q4_2025, instance=instance)
    k = run_k(instance, first.run_id)
    assert query(transform, "select distinct known_at from marts.fct_budget_quarterly "
                 "where tahun = 2025 and triwulan = 4") == [(k,)]
    assert query(transform, "select distinct known_at from marts.fct_indicator_quarterly "
                 "where tahun = 2025 and triwulan = 4") == indicators_before
    events = {e.asset_key: e for e in first.get_asset_materialization_events()}
    along = {dg.AssetKey(["staging", "stg_ledger__anggarans"]), dg.AssetKey(["staging", "stg_ledger__realisasis"]),
             dg.AssetKey(["intermediate", "int_quarters"]),
             dg.AssetKey(["intermediate", "int_sub_kegiatan_budgets_replayed"])}
    assert along < set(events) and indicators not in events
    assert [e.user_message for e in instance.all_logs(first.run_id) if e.level >= logging.WARNING] == []
    assert [e for e in first.all_events if e.event_type == dg.DagsterEventType.ASSET_OBSERVATION] == []
    for key in along | {budget}:
        assert (events[key].partition, metadata(events[key])["known_at"]) == (Q4_2025, utc_timestamp(k)), key
    seeds = {key for key in events if key.path[0] == "seeds"}
    assert seeds and all(events[key].partition is None for key in seeds)  # the catalogue, unpartitioned

    second = dg.materialize([catalogue, quarterly_figures], selection=[indicators], partition_key=Q4_2025,
                            instance=instance)
    assert not {e.asset_key for e in second.get_asset_materialization_events()} & set(catalogue.keys)
    assert query(transform, "select distinct known_at from marts.fct_indicator_quarterly "
                 "where tahun = 2025 and triwulan = 4") == [(run_k(instance, second.run_id),)]


def test_a_failing_blocking_check_stops_publish(warehouse):
    home = Home(warehouse)
    corrupt(home, BREAKS["staging__ods_rats"]["one row per cooperative and book year"])
    restaged(warehouse, "stg_ods__rats")
    served = fingerprint(home.serving_db)
    instance = dg.DagsterInstance.ephemeral()
    # the suites of the models as built, then serving: a rebuild would not mend the events
    checked = dg.materialize([catalogue, quarterly_figures, serving, model_expectations], partition_key=Q4_2025,
                             selection=dg.AssetSelection.assets(serving) | dg.AssetSelection.checks(model_expectations),
                             instance=instance, raise_on_error=False)
    assert not checked.success and checked.is_node_failed("model_expectations")
    [failed_check] = [c for c in checked.get_asset_check_evaluations() if not c.passed and c.severity == ERROR]
    assert (failed_check.asset_key, failed_check.check_name) == (dg.AssetKey(["staging", "stg_ods__rats"]),
                                                                 "staging__ods_rats")
    m = check_metadata(failed_check)
    assert (m["failed_blocking"], m["failed_warning"]) == (1, 0)
    assert "| FAILED | blocking | one row per cooperative and book year | 2 of" in m["expectations"]
    assert not checked.is_node_success("serving") and checked.get_asset_materialization_events() == []
    assert fingerprint(home.serving_db) == served

    alone = dg.materialize([serving], partition_key=Q4_2025, instance=instance, raise_on_error=False)
    assert not alone.success and alone.get_asset_materialization_events() == []
    [failure] = alone.get_step_failure_events()
    assert ("quality gate: 1 blocking expectation failed, nothing was published: staging.stg_ods__rats: "
            "one row per cooperative and book year") in failure.step_failure_data.user_failure_data.description
    assert [e for e in alone.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY] == []
    assert fingerprint(home.serving_db) == served and not home.serving_db.with_name("serving.duckdb.new").exists()


def test_every_check_runs_on_its_own(warehouse):
    """Each check's "Execute" button: a run of that check alone evaluates it, and materialises nothing."""
    served = fingerprint(warehouse / "serving.duckdb")
    instance = dg.DagsterInstance.ephemeral()
    rat, indicators = dg.AssetKey(["ods", "rat"]), dg.AssetKey(["marts", "fct_indicator_quarterly"])
    [dbt_test] = [c.key for c in quarterly_figures.check_specs
                  if c.key.asset_key == indicators and c.key.name == "fct_indicator_quarterly_well_formed"]
    [catalogue_test] = [c.key for c in catalogue.check_specs if c.key.name == "dim_kecamatan_well_formed"]
    raw, has_data = dg.AssetCheckKey(rat, "raw__ods_rat"), dg.AssetCheckKey(indicators, HAS_DATA)
    published = dg.AssetCheckKey(indicators, "closed_quarter_published")
    evaluated = {}
    for key in [raw, dbt_test, catalogue_test, published,
                dg.AssetCheckKey(dg.AssetKey(["staging", "stg_ods__rats"]), "staging__ods_rats"),
                dg.AssetCheckKey(SERVING, "marts__schema"), has_data]:
        result = dg.materialize(ALL_DEFINITIONS, selection=dg.AssetSelection.checks(key), instance=instance)
        assert result.get_asset_materialization_events() == [], key
        evaluated[key] = [c for c in result.get_asset_check_evaluations() if c.asset_check_key == key]
        assert len(evaluated[key]) == (len(QUARTERS.get_partition_keys()) if key == has_data else 1), key
    for key in (raw, dbt_test, catalogue_test):
        assert evaluated[key][0].passed, key
    assert not evaluated[published][0].passed  # no run of this instance built the closed quarter
    assert check_metadata(evaluated[raw][0])["batches"] == [b for (b,) in query(
        warehouse / "events.duckdb", "select batch_id from ingest.batches where kind = 'rat' and status = 'ingested' "
                                     "order by 1")]  # the suite on every batch of its kind
    quarters = {c.partition: c.passed for c in evaluated[has_data]}
    assert quarters[Q4_2025] and quarters["2021-01-01"] and not quarters[QUARTERS.get_last_partition_key()]
    assert fingerprint(warehouse / "serving.duckdb") == served


def holding_the_lock(database: Path, seconds: float) -> subprocess.Popen:
    """Another process with the database open read-write for a while (a `kumkm` command, a BI tool)."""
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(float(sys.argv[2]))",
                               str(database), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "open\n"
    return holder


def test_a_step_is_retried_while_another_process_holds_its_database_and_a_failure_is_not(warehouse):
    holder = holding_the_lock(warehouse / "events.duckdb", 10)  # released before the first retry, 15 s later
    try:
        latest_rat = sorted(p.name for p in (warehouse / "landing" / "ods").glob("rat_*"))[-1]
        result = dg.materialize([event_store], selection=[dg.AssetKey(["ods", "rat"])],
                                instance=dg.DagsterInstance.ephemeral(),
                                run_config={"ops": {"event_store": {"config": {"files": [f"ods/{latest_rat}"]}}}})
    finally:
        holder.wait()
    [retry] = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
    assert "Could not set lock on file" in retry.event_specific_data.error.cause.message
    assert result.success and metadata(result.get_asset_materialization_events()[0])["files_already_ingested"] == 1
    failure = failed(QualityGateFailed("quality gate: 1 blocking expectation failed"))
    assert isinstance(failure, dg.Failure) and failure.allow_retries is False


def test_a_failed_run_leaves_an_alert_in_the_home_and_on_the_run(home):
    instance = dg.DagsterInstance.ephemeral()
    run = dg.materialize([laporan_kinerja], partition_key=Q4_2025, instance=instance, raise_on_error=False)
    [failure] = [e for e in run.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE]
    failed_runs(dg.build_run_status_sensor_context(
        sensor_name="failed_runs", dagster_event=failure, dagster_instance=instance,
        dagster_run=instance.get_run_by_id(run.run_id)).for_run_failure())
    log = alerts_log(Home(home))
    [line] = log.read_text().splitlines()
    assert re.fullmatch(rf"\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC  run {run.run_id} of __ephemeral_asset_job__ "
                        rf"\({Q4_2025}\) failed: laporan_kinerja: no serving database at {home}/serving.duckdb: "
                        "materialise serving first", line), line
    assert instance.get_run_by_id(run.run_id).tags[ALERT_TAG] == str(log)


def test_freshness_fails_until_the_closed_quarter_is_built_and_served_after_its_close():
    instance = dg.DagsterInstance.ephemeral()
    due = quarter_due(datetime.now(timezone.utc))

    def evaluated() -> dict[dg.AssetKey, dg.AssetCheckEvaluation]:
        result = defs.resolve_job_def("check_freshness").execute_in_process(instance=instance)
        return {c.asset_key: c for c in result.get_asset_check_evaluations()}

    late = evaluated()
    assert set(late) == set(QUARTERLY_MARTS) and not any(c.passed for c in late.values())
    assert re.fullmatch(rf"{due} closed on \S+ and is not built 7 days later", late[QUARTERLY_MARTS[0]].description)
    for mart in QUARTERLY_MARTS:  # what a run of the due quarter's partition records, its gate failed
        instance.report_runless_asset_event(dg.AssetMaterialization(mart, partition=partition_key(due)))
    held_back = evaluated()
    assert not any(c.passed for c in held_back.values())
    assert held_back[QUARTERLY_MARTS[0]].description.endswith("is not served 7 days later")
    instance.report_runless_asset_event(dg.AssetMaterialization(SERVING, partition=partition_key(due)))  # published
    on_time = evaluated()
    assert all(c.passed for c in on_time.values())
    m = check_metadata(on_time[QUARTERLY_MARTS[0]])
    assert m["quarter"] == str(due) and m["built_at"] <= m["served_at"]


# --- the sensor: ingestion runs, then the refresh of the quarters they change ----------------------

def test_sensor_requests_an_ingestion_run_then_the_refresh_of_the_quarters_it_changed(warehouse, tmp_path):
    served, last = warehouse / "serving.duckdb", QUARTERS.get_last_partition_key()
    before = known_at(served)
    instance = dg.DagsterInstance.ephemeral()

    def tick(cursor: str | None) -> dg.SensorResult | dg.SkipReason:
        return new_exports(dg.build_sensor_context(cursor=cursor, instance=instance))

    # every batch of `kumkm demo`, ingested outside Dagster, recorded with its stored raw check; every quarter with data
    first = tick(None)
    [request] = first.run_requests
    assert (request.job_name, request.partition_key_range) \
        == ("refresh_quarters", dg.PartitionKeyRange("2021-01-01", last))
    demo_kinds = {dg.AssetKey([source, kind]) for source, kind in query(
        warehouse / "events.duckdb", "select distinct source, kind from ingest.batches where kind is not null")}
    materialized = [e for e in first.asset_events if isinstance(e, dg.AssetMaterialization)]
    assert {e.asset_key for e in materialized} == demo_kinds
    raw = {e.asset_key: e for e in first.asset_events if isinstance(e, dg.AssetCheckEvaluation)}
    assert set(raw) == demo_kinds and all(values(c.metadata)["failed_blocking"] == 0 for c in raw.values())
    assert json.loads(first.cursor).keys() == {"batch", "event", "retractions"}  # bounded: three numbers

    # a file dropped in landing: an ingestion run of it, and nothing else until that run has run
    write_csv(warehouse / "landing" / "manual" / "indikator_20260120_koreksi.csv", INDIKATOR_HEADER,
              [["RPD-01", 2025, 4, "80,50", "Inspektorat"]])
    (warehouse / "landing" / "manual" / "laporan inspektorat.csv").write_text("kode_indikator\nRPD-01\n")
    second = tick(first.cursor)
    [ingestion] = second.run_requests
    assert (ingestion.job_name, ingestion.asset_selection) == ("ingest_exports", [dg.AssetKey(["manual", "indikator"])])
    assert ingestion.run_config == {"ops": {"event_store": {"config": {"files": [
        "manual/indikator_20260120_koreksi.csv", "manual/laporan inspektorat.csv"]}}}}
    assert second.cursor is None and second.asset_events == []  # the batches wait for the run
    assert query(warehouse / "events.duckdb", "select count(*) from ingest.batches where file_name like "
                 "'%indikator_20260120%' or file_name like '%inspektorat%'") == [(0,)]  # the tick read no file
    ingested = defs.resolve_job_def("ingest_exports").execute_in_process(
        run_config=ingestion.run_config, asset_selection=ingestion.asset_selection,
        tags={"dagster/run_key": ingestion.run_key}, instance=instance, raise_on_error=False)
    assert not ingested.success  # the refused file fails the run, the other one is ingested
    [added] = [metadata(e) for e in ingested.get_asset_materialization_events()]
    assert (added["files_ingested"], added["events_added"], added["earliest_valid_date"]) == (1, 1, "2025-12-31")
    assert query(warehouse / "events.duckdb", "select file_name from ingest.batches where status = 'refused'") \
        == [("laporan inspektorat.csv",)]

    # after the run: the quarters its events change, without reporting its batches again
    third = tick(first.cursor)
    [refresh] = third.run_requests
    assert (refresh.job_name, refresh.partition_key_range) == ("refresh_quarters", dg.PartitionKeyRange(Q4_2025, last))
    assert third.asset_events == []
    refreshed = defs.resolve_job_def("refresh_quarters").execute_in_process(tags=refresh.tags, instance=instance)
    assert [e.user_message for e in instance.all_logs(refreshed.run_id) if e.level >= logging.WARNING] == []
    reports = {e.partition: metadata(e) for e in refreshed.get_asset_materialization_events() if e.asset_key == LAPORAN}
    assert set(reports) == set(QUARTERS.get_partition_keys_in_range(refresh.partition_key_range))
    report = reports.pop(Q4_2025)
    assert all(r == {"dagster/row_count": 0} for r in reports.values())  # quarters without data yet: no report
    assert "| RPD-01 | Nilai AKIP Diskopukm | 76,00 | 80,50 | 105,92% | SB |" in report["preview"]
    assert query(served, "select nilai from marts.fct_indicator_quarterly where kode_indikator = 'RPD-01' "
                 "and tahun = 2025 and triwulan = 4") == [(Decimal("80.5"),)]
    assert rebuilt(before, known_at(served)) == [20254]  # no data after 2025Q4 yet
    assert knowledge_times(served, 20254) == {run_k(instance, refreshed.run_id)}
    fourth = tick(third.cursor)
    assert fourth.run_requests == [] and fourth.skip_reason is not None

    # an export ingested by hand with `kumkm ingest`, outside the landing folder: recorded, and refreshed
    by_hand = write_csv(tmp_path / "manual" / "indikator_20260122.csv", INDIKATOR_HEADER,
                        [["RPD-01", 2025, 3, "77,00", "Inspektorat"]])
    assert CliRunner().invoke(kumkm_cli, ["ingest", str(by_hand)]).exit_code == 0
    fifth = tick(fourth.cursor)
    [later] = fifth.run_requests
    assert later.partition_key_range == dg.PartitionKeyRange("2025-07-01", last)
    [(batch,)] = query(warehouse / "events.duckdb", "select max(batch_id) from ingest.batches")
    event, check = fifth.asset_events
    assert event.asset_key == check.asset_key == dg.AssetKey(["manual", "indikator"])
    assert {k: v for k, v in values(event.metadata).items() if k in ("files_ingested", "events_added", "batches")} \
        == {"files_ingested": 1, "events_added": 1, "batches": [batch]}
    assert (check.check_name, check.passed, values(check.metadata)["batches"]) \
        == ("raw__manual_indikator", True, [batch])

    # that batch retracted with `kumkm retract`: recorded, and its quarters refreshed without it
    assert CliRunner().invoke(kumkm_cli, ["retract", "--batch", str(batch), "--reason", "typed twice"]).exit_code == 0
    sixth = tick(fifth.cursor)
    [without] = sixth.run_requests
    assert without.partition_key_range == dg.PartitionKeyRange("2025-07-01", last) and without.run_key != later.run_key
    [retraction] = sixth.asset_events
    assert (retraction.asset_key, values(retraction.metadata)["batches_retracted"]) \
        == (dg.AssetKey(["ingest", "retractions"]), [batch])
    assert json.loads(sixth.cursor) == {**json.loads(fifth.cursor), "retractions": 1}
    assert tick(sixth.cursor).run_requests == []


# UI

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def chromium(*args: str) -> str:
    """Headless Chromium with a fresh profile and nothing that reaches for the network; its stdout."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=180, check=True).stdout


def page_text(url: str) -> str:
    """The page's text once headless Chromium has run its scripts, in a window tall enough for every
    row of a list (Dagster renders only the rows in view)."""
    dom = chromium("--window-size=1600,2000", "--dump-dom", url)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", dom, flags=re.S)))


def screenshot(url: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    chromium("--window-size=1600,1000", f"--screenshot={path}", url)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"the browser test needs {CHROMIUM}")
def test_ui_on_the_sample_shows_the_lineage_partitions_and_check_results(warehouse):
    """`make ui` on the sample: the webserver over the home's own instance, in which serving has been
    materialised with its checks; the screenshot is kept in test-artifacts/ (or $KUMKM_TEST_ARTIFACTS)."""
    instance_dir = dagster_home(Home(warehouse))
    with dg.DagsterInstance.from_config(str(instance_dir)) as instance:
        assert dg.materialize([serving], partition_key=Q4_2025, instance=instance).success
    url = f"http://127.0.0.1:{free_port()}"
    env = {**os.environ, "DAGSTER_HOME": str(instance_dir)}
    server = subprocess.Popen([str(Path(sys.executable).parent / "dagster-webserver"), "-m", "orchestration.definitions",
                               "-h", "127.0.0.1", "-p", url.rsplit(":", 1)[1]], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(f"{url}/server_info")
        lineage = page_text(f"{url}/asset-groups")
        for group in ("ingestion", "seeds", "staging", "intermediate", "marts", "serving"):
            assert f" {group} " in lineage
        assert "Join the Dagster" not in lineage  # no "Join the Dagster community" pop-up on a fresh UI
        marts = page_text(f"{url}/assets/marts")
        for mart in MARTS:
            assert mart.path[-1] in marts
        partitions = page_text(f"{url}/assets/marts/fct_indicator_quarterly?view=partitions")
        assert f"{len(QUARTERS.get_partition_keys())} Partitions" in partitions
        for key in ("2021-01-01", Q4_2025, QUARTERS.get_last_partition_key()):
            assert key in partitions
        checks = page_text(f"{url}/assets/serving?view=checks")
        assert "marts__schema" in checks and "Passed" in checks
        screenshot(f"{url}/assets/serving?view=checks", ARTIFACTS / "dagster-ui-serving-checks.png")
        assert (ARTIFACTS / "dagster-ui-serving-checks.png").stat().st_size > 10_000
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # the webserver and the code server it started
        server.wait()
