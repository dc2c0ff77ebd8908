"""The Great Expectations suites as Dagster asset checks: one per suite, named after it, on the asset
of the table it validates.

- A raw suite (table events.ods.rat) checks its ingestion asset (["ods", "rat"]); `event_store`
  runs it on the batches it has just ingested.
- A staging or mart suite (staging.stg_ods__rats) checks its dbt model (["staging", "stg_ods__rats"]);
  `model_expectations` runs the selected ones in one pass once the models are built. The checks
  are not partitioned: a suite validates its whole table, every quarter as built now, whichever
  quarters the run built.
- The suite of the marts schema as a whole checks `serving`, which runs it before publishing.

A suite with a blocking expectation is a blocking check: when it fails, the assets downstream of
its asset in the run are not materialised.
"""
from collections.abc import Iterable, Iterator
from pathlib import Path

import dagster as dg

from expectations.results import results_page
from expectations.runner import (Outcome, Suite, ingested_batches, inspect, load_suites, stored_raw_outcomes,
                                 validate_batches)
from ingestion.ingest import FileResult
from kumkm.home import Home
from kumkm.refresh import hold_back
from orchestration.landing import asset_key, kind_of
from orchestration.operations import RETRY_WHEN_LOCKED

SERVING = dg.AssetKey("serving")


def suite_asset(suite: Suite) -> dg.AssetKey:
    """[schema, table], as the ingestion assets and the dbt translator key them; the marts schema as
    a whole is what the serving database holds."""
    return SERVING if suite.table == "marts" else dg.AssetKey(suite.table.split(".")[-2:])


def check_spec(suite: Suite) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(suite.name, asset=suite_asset(suite), description=suite.meta.get("about"),
                             blocking=any(e.severity == "blocking" for e in suite.expectations))


ALL_SUITES = load_suites()
RAW_CHECKS = [check_spec(s) for s in ALL_SUITES if s.layer == "raw"]
MODEL_CHECKS = [check_spec(s) for s in ALL_SUITES if s.layer != "raw" and suite_asset(s) != SERVING]
SERVING_CHECKS = [check_spec(s) for s in ALL_SUITES if suite_asset(s) == SERVING]


# --- check results -------------------------------------------------------------------------------

def cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def expectation_table(outcomes: list[Outcome]) -> str:
    """The suite's expectations as a markdown table, failures first."""
    lines = ["| result | severity | expectation | observed | unexpected | rows |", "|---|---|---|---|---|---|"]
    for o in sorted(outcomes, key=lambda o: (o.success, o.severity != "blocking")):
        result = "passed" if o.success else "FAILED" if o.blocks else "warning"
        lines.append("| " + " | ".join(map(cell, (result, o.severity, o.description, o.observed,
                                                   o.unexpected_count, o.element_count))) + " |")
    return "\n".join(lines)


def check_result(key: dg.AssetCheckKey, outcomes: list[Outcome], page: Path,
                 run_id: str | None) -> dg.AssetCheckResult:
    """Passed unless an expectation failed: of severity ERROR when a blocking one did, else WARN."""
    failed = [o for o in outcomes if not o.success]
    blocking = sum(o.blocks for o in failed)
    batches = sorted({i for o in outcomes for i in o.batch_ids or ()})
    metadata: dict[str, dg.RawMetadataValue] = {
        "failed_blocking": blocking,
        "failed_warning": len(failed) - blocking,
        "expectations": dg.MetadataValue.md(expectation_table(outcomes)),
        "results_page": dg.MetadataValue.path(str(page)),
    }
    if run_id:
        metadata["results_run"] = run_id
    if batches:
        metadata["batches"] = dg.MetadataValue.json(batches)
    return dg.AssetCheckResult(
        asset_key=key.asset_key, check_name=key.name, passed=not failed, metadata=metadata,
        severity=dg.AssetCheckSeverity.WARN if failed and not blocking else dg.AssetCheckSeverity.ERROR,
        description=f"{len(failed)} of {len(outcomes)} expectations failed, {blocking} blocking" if failed
        else f"all {len(outcomes)} expectations hold")


def check_results(home: Home, keys: Iterable[dg.AssetCheckKey], outcomes: list[Outcome],
                  run_id: str | None = None) -> Iterator[dg.AssetCheckResult]:
    """A result for each check whose suite has outcomes."""
    for key in sorted(keys, key=lambda k: k.name):
        if suite_outcomes := [o for o in outcomes if o.suite == key.name]:
            yield check_result(key, suite_outcomes, results_page(home), run_id)


# --- where the suites run ------------------------------------------------------------------------

def new_batches_checked(home: Home, results: list[FileResult],
                        keys: Iterable[dg.AssetCheckKey]) -> Iterator[dg.AssetCheckResult]:
    """The raw suites of the checked kinds on the batches just ingested (stored as one run): one
    result per kind with a new batch; a kind with none has nothing new to check."""
    keys = list(keys)
    checked = {key.asset_key for key in keys}
    batches = [r.batch_id for r in results if r.status == "ingested" and asset_key(kind_of(r.path)) in checked]
    if batches:
        yield from check_results(home, keys, validate_batches(home, batches))


def kind_batches_checked(home: Home, keys: Iterable[dg.AssetCheckKey]) -> Iterator[dg.AssetCheckResult]:
    """The raw checks run on their own (their Execute button): each suite on every batch of its kind,
    stored as one run; a kind with no batch yet has nothing that could break it."""
    keys = list(keys)
    tables = {"events." + ".".join(key.asset_key.path) for key in keys}
    batches = [batch for table, found in ingested_batches(home).items() if table in tables for batch, _ in found]
    checked = list(check_results(home, keys, validate_batches(home, batches))) if batches else []
    yield from checked
    for key in keys:
        if key.name not in {result.check_name for result in checked}:
            yield dg.AssetCheckResult(asset_key=key.asset_key, check_name=key.name, passed=True,
                                      description="no batch of this kind ingested yet: nothing to check")


def stored_batches_checked(home: Home, batch_ids: list[int]) -> list[dg.AssetCheckResult]:
    """The raw checks of batches ingested outside Dagster, as `kumkm ingest` stored them."""
    return list(check_results(home, [spec.key for spec in RAW_CHECKS], stored_raw_outcomes(home, batch_ids)))


@dg.multi_asset_check(specs=MODEL_CHECKS, can_subset=True, name="model_expectations", retry_policy=RETRY_WHEN_LOCKED)
def model_expectations(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
    """The selected staging and mart suites on the built warehouse, in one pass stored as one run."""
    yield from models_checked(Home.from_env(), context.selected_asset_check_keys)


def models_checked(home: Home, keys: Iterable[dg.AssetCheckKey]) -> Iterator[dg.AssetCheckResult]:
    keys = list(keys)
    names = {key.name for key in keys}
    outcomes, run_id = inspect(home, [suite for suite in load_suites() if suite.name in names])
    yield from check_results(home, keys, outcomes, run_id)


def held_in_run(context: dg.AssetExecutionContext) -> set[str]:
    """The suites whose model check was evaluated in this run with no blocking expectation failed."""
    records = context.instance.get_records_for_run(
        context.run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    evaluations = [r.event_log_entry.asset_check_evaluation for r in records]
    return {e.check_name for e in evaluations if e.asset_check_key in model_expectations.check_keys
            and (e.passed or e.severity == dg.AssetCheckSeverity.WARN)}


def gate_checked(home: Home, held: set[str], keys: Iterable[dg.AssetCheckKey]) -> Iterator[dg.AssetCheckResult]:
    """The quality gate before publishing (`kumkm.refresh.validate`) for the suites that did not
    hold in this run, raw ones on the batches no stored run passed; yields the results of the
    checks among `keys`, raises QualityGateFailed when a blocking expectation failed."""
    outcomes, run_id = inspect(home, [suite for suite in load_suites() if suite.name not in held])
    yield from check_results(home, keys, outcomes, run_id)
    hold_back(home, outcomes)
