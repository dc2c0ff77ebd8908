"""Dagster: the definitions, quarters as partitions, the quarter-close schedule, the landing sensor,
the Great Expectations suites as asset checks, and materialising quarters on copies of the demo
warehouse (real Dagster, dbt, Great Expectations and DuckDB)."""
from __future__ import annotations

import json
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

from chromium import ARTIFACTS, CHROMIUM, FLAGS
from conftest import INDIKATOR_HEADER, query, restaged, seven_kinds, write_csv
from expectations.runner import load_suites
from ingestion.contract import KINDS
from ingestion.ingest import ingest
from kumkm.home import Home
from kumkm.warehouse import Quarter
from orchestration.assets import (DBT, KUMKM_DBT, LAPORAN, MARTS, catalogue, event_store, laporan_kinerja,
                                  quarterly_figures, serving)
from orchestration.automation import new_exports, quarter_close
from orchestration.checks import SERVING, model_expectations
from orchestration.definitions import defs
from orchestration.instance import dagster_home
from orchestration.landing import asset_key, kind_of, unseen_files
from orchestration.quarters import JAKARTA, QUARTERS, partition_key, quarter_ended_before, quarters_from, quarters_of
from test_expectations import BREAKS, corrupt, fingerprint

Q4_2025 = "2025-10-01"
CHROMIUM_FLAGS = [*FLAGS, "--virtual-time-budget=30000"]
RESOURCES = {"dbt": DBT}
ERROR, WARN = dg.AssetCheckSeverity.ERROR, dg.AssetCheckSeverity.WARN


def mart_rows(served: Path) -> dict[str, list[tuple]]:
    """Every mart table's rows, known_at left out."""
    tables = query(served, "select table_name, bool_or(column_name = 'known_at') from information_schema.columns "
                   "where table_schema = 'marts' group by 1 order by 1")
    return {t: query(served, f"select * {'exclude (known_at)' if has_k else ''} from marts.{t} order by all")
            for t, has_k in tables}


def known_at(served: Path) -> dict[int, datetime]:
    """The knowledge time of each quarter built (as tahun * 10 + triwulan)."""
    return dict(query(served, "select distinct tahun * 10 + triwulan, known_at from marts.fct_indicator_quarterly"))


def rebuilt(before: dict, after: dict) -> list[int]:
    return sorted(q for q in after if after[q] != before.get(q))


def metadata(event) -> dict:
    return {k: v.value for k, v in event.materialization.metadata.items()}


def check_metadata(evaluation: dg.AssetCheckEvaluation) -> dict:
    return {k: v.value for k, v in evaluation.metadata.items()}


def test_definitions_load_with_readable_keys_groups_and_partitions():
    dg.Definitions.validate_loadable(defs)
    graph = defs.get_repository_def().asset_graph
    ingestion = {asset_key(kind) for kind in KINDS.values()}
    assert ingestion == {dg.AssetKey(k) for k in (["ods", "rat"], ["ods", "kegiatan"], ["sip3", "umkm"],
                         ["sip3", "pembinaan"], ["ledger", "anggaran"], ["ledger", "realisasi"],
                         ["manual", "indikator"], ["manual", "publikasi"])}
    for key in ingestion:
        assert graph.get(key).group_name == "ingestion" and graph.get(key).partitions_def is None
    assert graph.get(dg.AssetKey(["staging", "stg_ods__rats"])).parent_keys == {  # and the batches retracted
        dg.AssetKey(["ods", "rat"]), dg.AssetKey(["ingest", "retractions"])}
    for key, group, partitioned in [(["staging", "stg_sip3__umkms"], "staging", True),
                                    (["intermediate", "int_quarters"], "intermediate", True),
                                    (["marts", "fct_indicator_quarterly"], "marts", True),
                                    (["marts", "dim_program"], "marts", True),
                                    (["marts", "dim_indicator"], "marts", False),
                                    (["seeds", "indikator"], "seeds", False)]:
        node = graph.get(dg.AssetKey(key))
        assert (node.group_name, node.partitions_def) == (group, QUARTERS if partitioned else None), key
    assert graph.get(dg.AssetKey("serving")).parent_keys == set(MARTS) and len(MARTS) == 13
    checks = graph.asset_check_keys
    assert dg.AssetCheckKey(dg.AssetKey(["ods", "rat"]), "raw__ods_rat") in checks
    assert {c.name for c in checks if c.asset_key == dg.AssetKey(["marts", "fct_indicator_quarterly"])} == {
        "fct_indicator_quarterly_well_formed", "marts__fct_indicator_quarterly"}  # its dbt test, its suite
    assert defs.resolve_job_def("refresh_quarters").partitions_def == QUARTERS
    report = graph.get(LAPORAN)
    assert (report.group_name, report.partitions_def, report.parent_keys) == ("serving", QUARTERS, {SERVING})
    assert LAPORAN in defs.resolve_job_def("refresh_quarters").asset_layer.asset_graph.get_all_asset_keys()


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


def test_partition_windows_map_to_quarters():
    assert quarters_of(QUARTERS.time_window_for_partition_key(Q4_2025)) == (Quarter(2025, 4), Quarter(2025, 4))
    backfill = dg.TimeWindow(datetime(2024, 1, 1, tzinfo=JAKARTA), datetime(2026, 1, 1, tzinfo=JAKARTA))
    assert quarters_of(backfill) == (Quarter(2024, 1), Quarter(2025, 4))
    assert partition_key(Quarter(2025, 4)) == Q4_2025 and QUARTERS.get_first_partition_key() == "2024-01-01"
    assert quarter_ended_before(datetime(2025, 12, 31, 19, 0, tzinfo=timezone.utc)) == Quarter(2025, 4)  # 02:00 WIB
    assert quarter_ended_before(datetime(2025, 7, 1, 2, 0, tzinfo=JAKARTA)) == Quarter(2025, 2)


def test_events_change_their_quarter_and_every_later_one_that_exists():
    assert quarters_from(date(2025, 12, 31), "2026-10-01") == dg.PartitionKeyRange(Q4_2025, "2026-10-01")
    assert quarters_from(date(2023, 5, 17), Q4_2025) == dg.PartitionKeyRange("2024-01-01", Q4_2025)
    assert quarters_from(date(2026, 1, 2), Q4_2025) is None


def test_schedule_builds_the_quarter_that_just_ended():
    assert (quarter_close.cron_schedule, quarter_close.execution_timezone) == ("0 2 1 1,4,7,10 *", "Asia/Jakarta")
    tick = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 1, 1, 2, 0, tzinfo=JAKARTA))
    assert quarter_close(tick).partition_key == Q4_2025


def test_dagster_instance_lives_in_the_home(tmp_path):
    folder = dagster_home(Home(tmp_path / "home"))
    assert folder == tmp_path / "home" / "dagster" and (folder / "dagster.yaml").exists()
    instance = dg.DagsterInstance.from_config(str(folder))
    try:
        assert type(instance.run_storage).__name__ == "SqliteRunStorage"
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        assert not instance.telemetry_enabled
    finally:
        instance.dispose()


def test_unseen_files_are_new_or_changed_ones(tmp_path):
    landing = tmp_path / "landing"
    rat = write_csv(landing / "ods" / "rat_20250331.csv", ["nik"], [["1"]])
    kegiatan = write_csv(landing / "ods" / "kegiatan_20250331.csv", ["id_kegiatan"], [["K-1"]])
    files, seen = unseen_files(landing, set())
    assert files == [kegiatan, rat]
    assert unseen_files(landing, seen) == ([], seen)
    write_csv(rat, ["nik"], [["1"], ["2"]])
    assert unseen_files(landing, seen)[0] == [rat]


def test_ingestion_assets_report_each_kind_and_fail_on_a_refused_file(home):
    landed = {asset_key(kind_of(path)) for path in seven_kinds(home / "landing").values()}
    (home / "landing" / "ods" / "laporan rat.xlsx").write_bytes(b"")
    (home / "landing" / "ods" / "rat_20250401.csv").symlink_to(write_csv(home / "elsewhere.csv", ["nik"], [["1"]]))
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([event_store], instance=instance, raise_on_error=False)
    assert not result.success
    [failure] = result.get_step_failure_events()
    assert "laporan rat.xlsx" in str(failure.step_failure_data.user_failure_data.metadata["refused"].value)
    assert f"skipped {home / 'landing' / 'ods' / 'rat_20250401.csv'}: a link to outside the folder ingested" in [
        entry.user_message for entry in instance.all_logs(result.run_id)]
    (home / "landing" / "ods" / "rat_20250401.csv").unlink()
    reported = {e.asset_key: metadata(e) for e in result.get_asset_materialization_events()}
    assert set(reported) == {asset_key(kind) for kind in KINDS.values()}
    for key, m in reported.items():
        assert (m["files_ingested"], m["rows_read"], m["events_added"], m["events_known"], m["rows_rejected"],
                m["files_refused"]) == ((1, 3, 2, 0, 1, 0) if key in landed else (0, 0, 0, 0, 0, 0)), key
    assert reported[dg.AssetKey(["manual", "indikator"])]["earliest_valid_date"] == "2025-12-31"
    raw = {c.asset_key: c for c in result.get_asset_check_evaluations()}
    assert set(raw) == landed  # the raw suite of each kind on its new batch
    for key, check in raw.items():
        m = check_metadata(check)
        assert (check.check_name, m["failed_blocking"], len(m["batches"])) == ("raw__" + "_".join(key.path), 0, 1)

    (home / "landing" / "ods" / "laporan rat.xlsx").unlink()
    again = dg.materialize([event_store], instance=instance)
    for key, m in ((e.asset_key, metadata(e)) for e in again.get_asset_materialization_events()):
        assert (m["files_already_ingested"], m["events_added"]) == ((1 if key in landed else 0), 0)
    assert again.get_asset_check_evaluations() == []  # no new batch to check


@pytest.fixture(scope="module")
def quarter_built_twice(demo_home, tmp_path_factory):
    """A copy of the demo warehouse (built by `kumkm demo`), its partition 2025Q4 materialised with
    every asset and check, then its quarterly figures and serving database again (no suite checks:
    serving validates them all)."""
    root = tmp_path_factory.mktemp("orchestration") / "home"
    shutil.copytree(demo_home, root)
    served = root / "serving.duckdb"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KUMKM_HOME", str(root))
        instance = dg.DagsterInstance.ephemeral()
        by_cli = SimpleNamespace(marts=mart_rows(served), known_at=known_at(served))
        first = dg.materialize([event_store, catalogue, quarterly_figures, serving, model_expectations, laporan_kinerja],
                               partition_key=Q4_2025, resources=RESOURCES, instance=instance)
        after_first = SimpleNamespace(marts=mart_rows(served), known_at=known_at(served))
        dg.materialize([quarterly_figures, serving], partition_key=Q4_2025, resources=RESOURCES, instance=instance)
        after_second = SimpleNamespace(marts=mart_rows(served), known_at=known_at(served))
    return SimpleNamespace(root=root, first=first, by_cli=by_cli, after_first=after_first, after_second=after_second)


def test_materialising_2025q4_builds_and_serves_that_quarter(quarter_built_twice):
    built = quarter_built_twice
    assert built.first.success
    assert query(built.root / "serving.duckdb", "select nilai_dibulatkan from marts.fct_indicator_quarterly "
                 "where kode_indikator = 'IKU-01' and tahun = 2025 and triwulan = 4") == [(Decimal("20.06"),)]
    assert rebuilt(built.by_cli.known_at, built.after_first.known_at) == [20254]
    checks = built.first.get_asset_check_evaluations()
    generic_tests = {node["name"] for node in json.loads(KUMKM_DBT.manifest_path.read_text())["nodes"].values()
                     if node["resource_type"] == "test" and node.get("test_metadata")}
    assert generic_tests <= {c.check_name for c in checks}
    assert not [c for c in checks if not c.passed and c.severity == ERROR]
    landed = {e.asset_key: metadata(e) for e in built.first.get_asset_materialization_events()
              if e.asset_key.path[0] in ("ods", "sip3", "ledger", "manual")}
    assert landed[dg.AssetKey(["ods", "rat"])]["files_already_ingested"] == 9
    assert sum(m["events_added"] for m in landed.values()) == 0


def test_materialising_2025q4_writes_its_report_after_serving(quarter_built_twice):
    built = quarter_built_twice
    [report] = [e for e in built.first.get_asset_materialization_events() if e.asset_key == LAPORAN]
    assert report.partition == Q4_2025
    m = metadata(report)
    path = built.root / "reports" / "laporan_kinerja_2025Q4.html"
    assert m["path"] == str(path) and m["bytes"] == path.stat().st_size
    assert "Laporan Kinerja Triwulan IV Tahun 2025" in path.read_text(encoding="utf-8")
    preview = m["preview"]
    assert "| IKU-01 | Persentase Koperasi yang Berkualitas | 20,00 | 20,06 | 100,30% | SB |" in preview
    assert "| IKU-02 | Persentase Usaha Mikro menjadi Usaha Kecil | 0,1 | 0,1 | 100,00% | B |" in preview
    assert "pagu Rp 12.545.556.074, realisasi Rp 10.418.539.476, serapan 83,05%" in preview
    steps = [e.step_key for e in built.first.all_events if e.event_type == dg.DagsterEventType.STEP_SUCCESS]
    assert steps.index("laporan_kinerja") > steps.index("serving")


def test_materialising_2025q4_checks_every_model_suite_once_and_the_schema_before_serving(quarter_built_twice):
    built = quarter_built_twice
    suites = {c.check_name: c for c in built.first.get_asset_check_evaluations()
              if c.check_name.startswith(("staging__", "marts__"))}
    assert set(suites) == {s.name for s in load_suites(("staging", "marts"))}  # raw: no new batch to check
    runs = {check_metadata(c)["results_run"] for name, c in suites.items() if name != "marts__schema"}
    assert len(runs) == 1  # one validation of the built warehouse
    schema = suites["marts__schema"]
    assert schema.asset_key == dg.AssetKey("serving")
    # serving validated what no check of the run had: the schema (and no raw batch, all checked at ingest)
    assert query(built.root / "quality" / "results.duckdb", "select distinct suite from results where run_id = ?",
                 [check_metadata(schema)["results_run"]]) == [("marts__schema",)]
    for check in suites.values():
        m = check_metadata(check)
        assert m["failed_blocking"] == 0 and m["results_page"] == str(built.root / "quality" / "index.html")
        assert (check.passed, check.severity) == ((True, ERROR) if m["failed_warning"] == 0 else (False, WARN))
    indicators = suites["marts__fct_indicator_quarterly"]
    assert (indicators.passed, check_metadata(indicators)["failed_warning"]) == (False, 1)
    table = check_metadata(indicators)["expectations"]
    assert "| warning | warning | every indicator with a target has a value" in table
    assert "| passed | blocking | one row per indicator × quarter | 0 of 320 rows unexpected | 0 | 320 |" in table


def test_a_failing_blocking_check_stops_publish(warehouse):
    home = Home(warehouse)
    corrupt(home, BREAKS["staging__ods_rats"]["one row per cooperative and book year"])
    restaged(warehouse, "stg_ods__rats")
    served = fingerprint(home.serving_db)
    instance = dg.DagsterInstance.ephemeral()
    # the suites of the models as built, then serving: a rebuild would not mend the events
    checked = dg.materialize([catalogue, quarterly_figures, serving, model_expectations], resources=RESOURCES,
                             selection=dg.AssetSelection.assets(serving) | dg.AssetSelection.checks(model_expectations),
                             instance=instance, raise_on_error=False)
    assert not checked.success and checked.is_node_failed("model_expectations")
    [failed] = [c for c in checked.get_asset_check_evaluations() if not c.passed and c.severity == ERROR]
    assert (failed.asset_key, failed.check_name) == (dg.AssetKey(["staging", "stg_ods__rats"]), "staging__ods_rats")
    m = check_metadata(failed)
    assert (m["failed_blocking"], m["failed_warning"]) == (1, 0)
    assert "| FAILED | blocking | one row per cooperative and book year | 2 of" in m["expectations"]
    assert not checked.is_node_success("serving") and checked.get_asset_materialization_events() == []
    assert fingerprint(home.serving_db) == served

    alone = dg.materialize([serving], instance=instance, raise_on_error=False)  # no check ran before it
    assert not alone.success and alone.get_asset_materialization_events() == []
    [failure] = alone.get_step_failure_events()
    assert ("quality gate: 1 blocking expectation failed, nothing was published: staging.stg_ods__rats: "
            "one row per cooperative and book year") in failure.step_failure_data.error.cause.message
    assert fingerprint(home.serving_db) == served and not home.serving_db.with_name("serving.duckdb.new").exists()


def test_materialising_twice_gives_the_same_marts(quarter_built_twice):
    built = quarter_built_twice
    assert rebuilt(built.after_first.known_at, built.after_second.known_at) == [20254]
    assert built.after_second.marts == built.after_first.marts == built.by_cli.marts


def test_sensor_ingests_new_exports_and_rebuilds_the_quarters_they_change(warehouse, tmp_path):
    served, last = warehouse / "serving.duckdb", QUARTERS.get_last_partition_key()
    before = known_at(served)
    instance = dg.DagsterInstance.ephemeral()

    def tick(cursor: str | None) -> dg.SensorResult:
        return new_exports(dg.build_sensor_context(cursor=cursor, instance=instance))

    first = tick(None)  # every event is new to Dagster: every quarter with data, from the first partition
    assert [r.partition_key_range for r in first.run_requests] == [dg.PartitionKeyRange("2024-01-01", last)]
    assert first.asset_events == []  # `kumkm demo` ingested every landed file already

    write_csv(warehouse / "landing" / "manual" / "indikator_20260120_koreksi.csv", INDIKATOR_HEADER,
              [["RPD-01", 2025, 4, "80,50", "Inspektorat"]])
    (warehouse / "landing" / "manual" / "laporan inspektorat.csv").write_text("kode_indikator\nRPD-01\n")
    second = tick(first.cursor)
    [request] = second.run_requests
    assert request.partition_key_range == dg.PartitionKeyRange(Q4_2025, last)
    event, check = second.asset_events
    assert event.asset_key == check.asset_key == dg.AssetKey(["manual", "indikator"])
    assert (check.check_name, check.passed, check.metadata["batches"].value) == (
        "raw__manual_indikator", True, [query(warehouse / "events.duckdb", "select max(batch_id) from ingest.batches "
                                                                           "where status = 'ingested'")[0][0]])
    assert {k: event.metadata[k].value for k in ("files_ingested", "events_added", "earliest_valid_date")} \
        == {"files_ingested": 1, "events_added": 1, "earliest_valid_date": "2025-12-31"}
    assert query(warehouse / "events.duckdb", "select file_name from ingest.batches where status = 'refused'") \
        == [("laporan inspektorat.csv",)]
    third = tick(second.cursor)
    assert third.run_requests == [] and third.skip_reason is not None

    # the requested run but for the catalogue (seeds), which this copy has built already: one dbt build fewer
    run = defs.resolve_job_def("refresh_quarters").execute_in_process(
        tags=request.tags, instance=instance, asset_selection=[*quarterly_figures.keys, SERVING, LAPORAN])
    assert run.success
    [report] = [e for e in run.get_asset_materialization_events() if e.asset_key == LAPORAN]
    assert report.partition == Q4_2025  # the run's range reaches quarters without data yet: no report for them
    assert "| RPD-01 | Nilai AKIP Diskopukm | 76,00 | 80,50 | 105,92% | SB |" in metadata(report)["preview"]
    assert query(served, "select nilai from marts.fct_indicator_quarterly where kode_indikator = 'RPD-01' "
                 "and tahun = 2025 and triwulan = 4") == [(Decimal("80.5"),)]
    assert rebuilt(before, known_at(served)) == [20254]  # no data after 2025Q4 yet

    # an export ingested by hand, outside the landing folder, is refreshed too
    by_hand = write_csv(tmp_path / "manual" / "indikator_20260122.csv", INDIKATOR_HEADER,
                        [["RPD-01", 2025, 3, "77,00", "Inspektorat"]])
    ingest([by_hand], warehouse / "events.duckdb")
    [later] = tick(third.cursor).run_requests
    assert later.partition_key_range == dg.PartitionKeyRange("2025-07-01", last)



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
        assert dg.materialize([serving], instance=instance).success
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
        marts = page_text(f"{url}/assets/marts")
        for mart in MARTS:
            assert mart.path[-1] in marts
        partitions = page_text(f"{url}/assets/marts/fct_indicator_quarterly?view=partitions")
        assert f"{len(QUARTERS.get_partition_keys())} Partitions" in partitions
        for key in ("2024-01-01", Q4_2025, QUARTERS.get_last_partition_key()):
            assert key in partitions
        checks = page_text(f"{url}/assets/serving?view=checks")
        assert "marts__schema" in checks and "Passed" in checks
        screenshot(f"{url}/assets/serving?view=checks", ARTIFACTS / "dagster-ui-serving-checks.png")
        assert (ARTIFACTS / "dagster-ui-serving-checks.png").stat().st_size > 10_000
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # the webserver and the code server it started
        server.wait()
