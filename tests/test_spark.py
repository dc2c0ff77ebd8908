"""The dbt project on Apache Spark (issue 17): the staging models built by the `spark` target
(a local[2] session) from the event store's Parquet folders hold the same rows as the DuckDB build."""
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.parquet import export_events
from kumkm.warehouse import DBT_PROJECT

STAGING = ["stg_ods__rats", "stg_ods__kegiatans", "stg_sip3__umkms", "stg_sip3__pembinaans",
           "stg_ledger__anggarans", "stg_ledger__realisasis", "stg_manual__indikators", "stg_manual__publikasis"]


@pytest.fixture(scope="module")
def spark_home(demo_home, tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("spark") / "home"
    home.mkdir()
    export_events(demo_home / "events.duckdb", home / "events_parquet")
    target = home / "dbt"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "run", "--target", "spark", "--select", "staging",
         "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT), "--target-path", str(target),
         "--log-path", str(target / "logs")],
        env={**os.environ, "KUMKM_HOME": str(home)}, cwd=home, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    return home


@pytest.mark.parametrize("model", STAGING)
def test_a_staging_model_on_spark_holds_the_rows_of_the_duckdb_build(spark_home, demo_home, model):
    tables = spark_home / "spark" / "warehouse" / "staging.db" / model
    with duckdb.connect() as con:
        con.execute(f"attach '{demo_home / 'transform.duckdb'}' as duck (read_only)")
        columns = [row[0] for row in con.execute(f"describe duck.staging.{model}").fetchall()]
        listed = ", ".join(f'cast("{c}" as varchar) as "{c}"' for c in columns)
        built = f"select {listed} from duck.staging.{model}"
        on_spark = f"select {listed} from read_parquet('{tables}/*.parquet')"
        rows = con.execute(f"select count(*) from ({built})").fetchone()[0]
        only_duckdb = con.execute(f"select count(*) from ({built} except all {on_spark})").fetchone()[0]
        only_spark = con.execute(f"select count(*) from ({on_spark} except all {built})").fetchone()[0]
    assert rows > 0
    assert (only_duckdb, only_spark) == (0, 0)
