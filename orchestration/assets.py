"""The warehouse's assets: the event store per source kind, the dbt project, the serving database,
the quarterly report. Every step that opens a DuckDB file is retried when another process holds it."""
from collections.abc import Iterator
from datetime import date, timezone
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import dbt_assets

from ingestion.contract import KINDS
from ingestion.ingest import ingest
from kumkm.audit import classify_printed
from kumkm.home import Home
from kumkm.report import served_quarters
from kumkm.warehouse import RefreshFailed, dbt_vars, publish
from orchestration.checks import (RAW_CHECKS, SERVING, SERVING_CHECKS, gate_checked, held_in_run, kind_batches_checked,
                                  models_checked, new_batches_checked)
from orchestration.dbt_runs import (KUMKM_DBT, MANIFEST, TRANSLATOR, dbt_build, knowledge_time, quarter_number,
                                    run_partitions, unique_ids)
from orchestration.landing import asset_key, deliveries, kind_of, landed_files, refusals, skipped_entries
from orchestration.operations import DATA_TEAM, RETRY_WHEN_LOCKED, failed, operators
from orchestration.quarters import QUARTERS, quarter_of, quarters_of

SINGLE_RUN = dg.BackfillPolicy.single_run()  # a backfill of a range of quarters is one run, with one K

# --- ingestion: one asset per source kind, all ingested by one op -------------------------------

INGESTION_SPECS = [
    dg.AssetSpec(
        asset_key(kind), group_name="ingestion", kinds={"duckdb"}, owners=[operators(kind.source), DATA_TEAM],
        description=f"Events of {kind.source}/{kind.name} in the event store, ingested from "
                    f"landing/{kind.source}/{kind.name}_<YYYYMMDD>[_<text>].<csv|xlsx|ods>.",
        # a payment is accepted only for a sub-activity of a budget version ingested before it
        deps=[asset_key(KINDS["anggaran"])] if kind.name == "realisasi" else [],
    )
    for kind in KINDS.values()
]

# Read by every staging model of the events, written by `kumkm retract` (the new_exports sensor
# records each retraction as a materialization).
RETRACTIONS = dg.AssetSpec(
    ["ingest", "retractions"], group_name="ingestion", kinds={"duckdb"}, owners=[DATA_TEAM],
    description="The batches retracted (`kumkm retract`): their events stay stored and count in no figure "
                "as known at or after the retraction.")

# Read by stg_terbit__angkas, written by the quarterly figures' build when the audit needs a figure then.
FIGURES_THEN = dg.AssetSpec(
    ["terbit", "angka"], group_name="intermediate", kinds={"duckdb"}, owners=[DATA_TEAM],
    description="The warehouse's figures as known when each printed report was issued, computed for the "
                "printed-figure audit (kumkm/audit.py) and kept in the transform database.")


class LandedFiles(dg.Config):
    """The files to ingest, as paths under the landing folder (the new_exports sensor names the new
    and changed ones); none: every landed file of the selected kinds."""
    files: list[str] = []


@dg.multi_asset(specs=INGESTION_SPECS, check_specs=RAW_CHECKS, can_subset=True, name="event_store",
                retry_policy=RETRY_WHEN_LOCKED)
def event_store(context: dg.AssetExecutionContext, config: LandedFiles) -> Iterator:
    """Ingests the landed exports of the selected kinds in one pass (ordered by extraction date
    across kinds, as `kumkm ingest` does), checks the new batches with their kinds' raw suites, and
    names every landed file of no kind as refused and every entry of the landing folder not read.
    Run for its raw checks alone, validates each suite on every batch of its kind."""
    home = Home.from_env()
    if not context.selected_asset_keys:
        yield from kind_batches_checked(home, context.selected_asset_check_keys)
        return
    for entry in skipped_entries(home.landing):
        context.log.warning(f"skipped {entry}")
    kinds = [kind for kind in KINDS.values() if asset_key(kind) in context.selected_asset_keys]
    landed = [home.landing / name for name in config.files] if config.files else landed_files(home.landing)
    try:
        results = ingest([path for path in landed if kind_of(path) in (*kinds, None)], home.events_db)
    except duckdb.Error as e:
        raise failed(e) from e
    for delivery in deliveries(results, home.events_db, kinds):
        yield dg.MaterializeResult(asset_key=asset_key(delivery.kind), metadata=delivery.metadata())
    yield from new_batches_checked(home, results, context.selected_asset_check_keys)
    if refused := refusals(results):
        raise dg.Failure(f"{len(refused)} landed file(s) refused whole; the other files were ingested",
                         metadata={"refused": dg.MetadataValue.md("\n".join(f"- {r}" for r in refused))},
                         allow_retries=False)


# --- the dbt project -----------------------------------------------------------------------------

# Every model built from the event store depends on the quarters built and on the knowledge time K
# (the staging tables hold the versions known at K): they are the quarterly figures, partitioned by quarter.
FROM_EVENTS = "source:*+"
PRINTED_AUDIT = dg.AssetKey(["marts", "fct_publikasi_audit"])


@dbt_assets(manifest=MANIFEST, project=KUMKM_DBT, exclude=FROM_EVENTS,
            dagster_dbt_translator=TRANSLATOR, name="catalogue", retry_policy=RETRY_WHEN_LOCKED)
def catalogue(context: dg.AssetExecutionContext) -> Iterator:
    """The seeds (indicator catalogue and targets, programs, kecamatan, quarter ends) and the
    dimensions built from them alone, none of which depends on quarters or K."""
    yield from dbt_build(context, catalogue, {})


@dbt_assets(manifest=MANIFEST, project=KUMKM_DBT, select=FROM_EVENTS, partitions_def=QUARTERS,
            backfill_policy=SINGLE_RUN, dagster_dbt_translator=TRANSLATOR, name="quarterly_figures",
            retry_policy=RETRY_WHEN_LOCKED)
def quarterly_figures(context: dg.AssetExecutionContext) -> Iterator:
    """The staging, intermediate and mart models of the run's quarters (one, or a backfill's range)
    as known at the run's K, with their dbt tests, then the printed-figure audit's classes completed
    when its mart was built: what `kumkm refresh --quarter` builds. The models the selected ones read
    are built along with the same K, and the catalogue when it changed. Run for its checks alone (the
    dbt tests), runs those tests."""
    if not context.selected_asset_keys:
        yield from dbt_build(context, quarterly_figures, {})
        return
    k = knowledge_time(context)
    quarters = quarters_of(context.partition_time_window) if run_partitions(context) else (None, None)
    built = yield from dbt_build(context, quarterly_figures, dbt_vars(k, *quarters), catalogue=catalogue,
                                 metadata={"known_at": dg.MetadataValue.timestamp(k.replace(tzinfo=timezone.utc))})
    if unique_ids(quarterly_figures)[PRINTED_AUDIT] in built:
        try:
            classify_printed(Home.from_env(), context.log.info)
        except (RefreshFailed, duckdb.Error) as e:
            raise failed(e) from e


# --- the serving database ------------------------------------------------------------------------

MARTS = [key for key in (*quarterly_figures.keys, *catalogue.keys) if key.path[0] == "marts"]
QUARTERLY_MARTS = [key for key in MARTS if key.path[-1].endswith("_quarterly")]


def served_rows(serving_db: Path, partition_keys: list[str]) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Rows per mart table of the serving database, and per partition its rows in each quarterly mart."""
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'marts' order by 1").fetchall()]
        total = {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}
        numbers = [quarter_number(key) for key in partition_keys]
        quarterly = {key.path[-1]: dict(con.execute(
            f"select tahun * 10 + triwulan, count(*) from marts.{key.path[-1]} "
            "where tahun * 10 + triwulan in (select unnest($numbers)) group by 1", {"numbers": numbers}).fetchall())
            for key in QUARTERLY_MARTS if key.path[-1] in tables}
    finally:
        con.close()
    return total, {key: {t: rows.get(quarter_number(key), 0) for t, rows in quarterly.items()}
                   for key in partition_keys}


@dg.multi_asset(
    specs=[dg.AssetSpec(SERVING, deps=MARTS, group_name="serving", kinds={"duckdb"}, owners=[DATA_TEAM],
                        description="The serving database BI tools read: the marts of the quarters as last "
                                    "built, published when the quality gate holds.")],
    check_specs=SERVING_CHECKS, can_subset=True, partitions_def=QUARTERS, backfill_policy=SINGLE_RUN,
    name="serving", retry_policy=RETRY_WHEN_LOCKED)
def serving(context: dg.AssetExecutionContext) -> Iterator[dg.AssetCheckResult | dg.MaterializeResult]:
    """The marts copied into a new serving file and swapped in, only when every blocking Great
    Expectations check holds (else the run fails naming the check). The suites whose checks held
    earlier in the run are not validated again. Each quarter of the run gets its served row counts.
    Run for its checks alone, validates their suites and publishes nothing."""
    home = Home.from_env()
    if SERVING not in context.selected_asset_keys:
        yield from models_checked(home, context.selected_asset_check_keys)
        return
    try:
        yield from gate_checked(home, held_in_run(context), context.selected_asset_check_keys)
        path = publish(home)
    except (RefreshFailed, duckdb.Error) as e:
        raise failed(e) from e
    total, per_partition = served_rows(path, context.partition_keys)
    for key, rows in per_partition.items():
        context.add_asset_metadata({"dagster/row_count": sum(rows.values()),
                                    **{f"rows {table}": n for table, n in rows.items()}},
                                   asset_key=SERVING, partition_key=key)
    yield dg.MaterializeResult(asset_key=SERVING, metadata={"path": dg.MetadataValue.path(str(path)),
                                                            **{f"rows {table}": n for table, n in total.items()}})


# --- the quarterly report ------------------------------------------------------------------------

LAPORAN = dg.AssetKey("laporan_kinerja")


@dg.asset(key=LAPORAN, deps=[SERVING], partitions_def=QUARTERS, group_name="serving", kinds={"html"},
          owners=[DATA_TEAM], output_required=False, backfill_policy=SINGLE_RUN, retry_policy=RETRY_WHEN_LOCKED)
def laporan_kinerja(context: dg.AssetExecutionContext) -> Iterator[dg.AssetMaterialization]:
    """The quarterly performance report (`kumkm report --format html`) of each quarter of the run, in
    $KUMKM_HOME/reports/, materialised with its path, its indicators as row count and a preview of
    its headline figures. A quarter the serving database has no figures of (no data yet) gets no
    report: its partition is materialised empty, with a row count of 0."""
    from kumkm.laporan import preview_markdown, report_content, report_path, write_html  # Altair: only here

    home = Home.from_env()
    if not home.serving_db.exists():
        raise dg.Failure(f"no serving database at {home.serving_db}: materialise serving first", allow_retries=False)
    served = set(served_quarters(home.serving_db))
    for key in context.partition_keys:
        quarter = quarter_of(date.fromisoformat(key))
        if quarter not in served:
            yield dg.AssetMaterialization(LAPORAN, partition=key, metadata={"dagster/row_count": 0},
                                          description=f"the serving database holds no figures of {quarter}: no report")
            continue
        content = report_content(home, quarter)
        path = write_html(content, report_path(home, quarter))
        yield dg.AssetMaterialization(LAPORAN, partition=key, metadata={
            "path": dg.MetadataValue.path(str(path)),
            "dagster/row_count": len(content["indikator"]),
            "preview": dg.MetadataValue.md(preview_markdown(content)),
            "known_at": dg.MetadataValue.timestamp(content["known_at"].replace(tzinfo=timezone.utc)),
            "bytes": path.stat().st_size,
        })
