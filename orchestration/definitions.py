"""The one Dagster entry point: `dagster dev -m orchestration.definitions` (see `make ui`)."""
import dagster as dg
from orchestration.assets import DBT, catalogue, event_store, laporan_kinerja, quarterly_figures, serving
from orchestration.automation import new_exports, quarter_close, refresh_quarters
from orchestration.checks import model_expectations
from orchestration.publikasi import publish_quarter_job

defs = dg.Definitions(
    assets=[event_store, catalogue, quarterly_figures, serving, laporan_kinerja],
    asset_checks=[model_expectations],
    jobs=[refresh_quarters, publish_quarter_job],
    schedules=[quarter_close],
    sensors=[new_exports],
    resources={"dbt": DBT},
)
