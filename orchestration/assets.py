"""The warehouse's assets: the event store per source kind, the dbt project, the serving database."""
import json
import sys
from collections.abc import Iterator, Mapping
from datetime import date, timezone
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from ingestion.contract import KINDS
from ingestion.ingest import ingest
from kumkm.audit import classify_printed
from kumkm.home import Home
from kumkm.report import served_quarters
from kumkm.warehouse import DBT_PROJECT, dbt_vars, publish, utc_now
from orchestration.checks import RAW_CHECKS, SERVING, SERVING_CHECKS, gate_checked, held_in_run, new_batches_checked
from orchestration.landing import asset_key, deliveries, kind_of, landed_files, refusals, skipped_entries
from orchestration.quarters import QUARTERS, quarter_of, quarters_of

# --- ingestion: one asset per source kind, all ingested by one op -------------------------------

INGESTION_SPECS = [
    dg.AssetSpec(
        asset_key(kind), group_name="ingestion", kinds={"duckdb"},
        description=f"Events of {kind.source}/{kind.name} in the event store, ingested from "
                    f"landing/{kind.source}/{kind.name}_<YYYYMMDD>[_<text>].<csv|xlsx|ods>.",
        # a payment is accepted only for a sub-activity of a budget version ingested before it
        deps=[asset_key(KINDS["anggaran"])] if kind.name == "realisasi" else [],
    )
    for kind in KINDS.values()
]


@dg.multi_asset(specs=INGESTION_SPECS, check_specs=RAW_CHECKS, can_subset=True, name="event_store")
def event_store(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Ingests the landed exports of the selected kinds in one pass (ordered by extraction date
    across kinds, as `kumkm ingest` does), checks the new batches with their kinds' raw suites, and
    names every landed file of no kind as refused and every entry of the landing folder not read."""
    home = Home.from_env()
    for entry in skipped_entries(home.landing):
        context.log.warning(f"skipped {entry}")
    kinds = [kind for kind in KINDS.values() if asset_key(kind) in context.selected_asset_keys]
    files = [path for path in landed_files(home.landing) if kind_of(path) in (*kinds, None)]
    results = ingest(files, home.events_db)
    for delivery in deliveries(results, home.events_db, kinds):
        yield dg.MaterializeResult(asset_key=asset_key(delivery.kind), metadata=delivery.metadata())
    yield from new_batches_checked(home, results, context.selected_asset_check_keys)
    if refused := refusals(results):
        raise dg.Failure(f"{len(refused)} landed file(s) refused whole; the other files were ingested",
                         metadata={"refused": dg.MetadataValue.md("\n".join(f"- {r}" for r in refused))})


# --- the dbt project -----------------------------------------------------------------------------

KUMKM_DBT = DbtProject(project_dir=DBT_PROJECT, profiles_dir=DBT_PROJECT)
# The venv's dbt, as kumkm.warehouse runs it: `make ui` starts Dagster without activating the venv.
DBT = DbtCliResource(project_dir=KUMKM_DBT, dbt_executable=str(Path(sys.executable).parent / "dbt"))


def parse_if_stale(project: DbtProject, dbt: DbtCliResource) -> None:
    """Parses the project when its manifest is missing or older than one of its files (a fresh
    checkout, an edited model), so the assets always match the models."""
    files = [project.project_dir / "dbt_project.yml", *(
        path for folder in ("models", "seeds", "macros", "tests")
        for path in (project.project_dir / folder).rglob("*") if path.is_file())]
    manifest = project.manifest_path
    if not manifest.exists() or max(f.stat().st_mtime for f in files) > manifest.stat().st_mtime:
        dbt.cli(["parse", "--quiet"], target_path=project.target_path).wait()


parse_if_stale(KUMKM_DBT, DBT)


class KumkmDbtTranslator(DagsterDbtTranslator):
    """Keys [layer, name] (["marts", "fct_indicator_quarterly"]) grouped per layer (seeds, staging,
    intermediate, marts); a dbt source is the ingestion asset of its kind (["ods", "rat"])."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([self.get_group_name(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        return dbt_resource_props["fqn"][1]


# The source tests (event_id unique, record_key not null) check the ingestion assets.
TRANSLATOR = KumkmDbtTranslator(DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))

# Every model built from the event store depends on the quarters built and on the knowledge time K
# (the staging views filter on K), so they are built together, one quarter range per dbt build.
FROM_EVENTS = "source:*+"


def dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource, variables: dict) -> Iterator:
    home = Home.from_env()
    context.log.info(f"dbt build with vars {variables} in {home.root}")
    yield from dbt.cli(["build", "--vars", json.dumps(variables)], context=context,
                       target_path=home.dbt_target).stream()


@dbt_assets(manifest=KUMKM_DBT.manifest_path, project=KUMKM_DBT, select=FROM_EVENTS,
            partitions_def=QUARTERS, dagster_dbt_translator=TRANSLATOR, name="quarterly_figures")
def quarterly_figures(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """The staging, intermediate and mart models of the partition's quarters (one, or a backfill's
    range) as known now, with their dbt tests, then the printed-figure audit's classes completed:
    what `kumkm refresh --quarter` builds."""
    first, last = quarters_of(context.partition_time_window)
    yield from dbt_build(context, dbt, dbt_vars(utc_now(), first, last))
    classify_printed(Home.from_env(), context.log.info)


@dbt_assets(manifest=KUMKM_DBT.manifest_path, project=KUMKM_DBT, exclude=FROM_EVENTS,
            dagster_dbt_translator=TRANSLATOR, name="catalogue")
def catalogue(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """The seeds (indicator catalogue and targets, programs, kecamatan, quarter ends) and the
    dimensions built from them alone, none of which depends on quarters or K."""
    yield from dbt_build(context, dbt, {})


# --- the serving database ------------------------------------------------------------------------

MARTS = [key for key in (*quarterly_figures.keys, *catalogue.keys) if key.path[0] == "marts"]


def served_rows(serving_db: Path) -> dict[str, int]:
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'marts' order by 1").fetchall()]
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()


@dg.asset(key=SERVING, deps=MARTS, group_name="serving", kinds={"duckdb"}, check_specs=SERVING_CHECKS)
def serving(context: dg.AssetExecutionContext) -> Iterator[dg.AssetCheckResult | dg.MaterializeResult]:
    """The serving database BI tools read: the marts copied into a new file and swapped in, only when
    every blocking Great Expectations check holds (else the run fails naming the check). The suites
    whose checks held earlier in the run are not validated again."""
    home = Home.from_env()
    yield from gate_checked(home, held_in_run(context), context.selected_asset_check_keys)
    path = publish(home)
    yield dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)),
                                         **{f"rows {table}": n for table, n in served_rows(path).items()}})


# --- the quarterly report ------------------------------------------------------------------------

LAPORAN = dg.AssetKey("laporan_kinerja")


@dg.asset(key=LAPORAN, deps=[SERVING], partitions_def=QUARTERS, group_name="serving", kinds={"html"},
          output_required=False, backfill_policy=dg.BackfillPolicy.single_run())
def laporan_kinerja(context: dg.AssetExecutionContext) -> Iterator[dg.AssetMaterialization]:
    """The quarterly performance report (`kumkm report --format html`) of each quarter of the run that
    the serving database holds, in $KUMKM_HOME/reports/, materialised with its path and headline
    figures. A quarter the serving database has no figures of (no data yet) gets no report and stays
    unmaterialised."""
    from kumkm.laporan import preview_markdown, report_content, report_path, write_html  # Altair: only here

    home = Home.from_env()
    if not home.serving_db.exists():
        raise dg.Failure(f"no serving database at {home.serving_db}: materialise serving first")
    served = set(served_quarters(home.serving_db))
    for key in context.partition_keys:
        quarter = quarter_of(date.fromisoformat(key))
        if quarter not in served:
            context.log.warning(f"the serving database holds no figures of {quarter}: no report for it")
            continue
        content = report_content(home, quarter)
        path = write_html(content, report_path(home, quarter))
        yield dg.AssetMaterialization(LAPORAN, partition=key, metadata={
            "path": dg.MetadataValue.path(str(path)),
            "preview": dg.MetadataValue.md(preview_markdown(content)),
            "known_at": dg.MetadataValue.timestamp(content["known_at"].replace(tzinfo=timezone.utc)),
            "bytes": path.stat().st_size,
        })
