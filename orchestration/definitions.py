"""The one Dagster entry point: `dagster dev -m orchestration.definitions` (see `make ui`).

Every run executes its steps in one process (dbt runs inside it, on the manifest parsed once):
starting a process per step would cost seconds each."""
import dagster as dg

from orchestration.alerts import (check_freshness, closed_quarters_published, failed_runs, freshness_daily,
                                  quarters_with_data)
from orchestration.assets import (FIGURES_THEN, RETRACTIONS, catalogue, event_store, laporan_kinerja, quarterly_figures,
                                  serving)
from orchestration.automation import ingest_exports, new_exports, quarter_close, refresh_quarters
from orchestration.checks import model_expectations
from orchestration.publikasi import publish_quarter_job

defs = dg.Definitions(
    assets=[*dg.with_source_code_references([event_store, serving, laporan_kinerja]), catalogue, quarterly_figures,
            RETRACTIONS, FIGURES_THEN],
    asset_checks=[model_expectations, quarters_with_data, closed_quarters_published],
    jobs=[ingest_exports, refresh_quarters, check_freshness, publish_quarter_job],
    schedules=[quarter_close, freshness_daily],
    sensors=[new_exports, failed_runs],
    executor=dg.in_process_executor,
)
