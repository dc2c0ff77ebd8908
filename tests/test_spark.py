"""The dbt project on Apache Spark (issue 17): one whole `dbt build --target spark` (a local[2] session)
from the sample's event store exported as Parquet, at the knowledge time of the DuckDB build of the
sample: its seeds, models and tests pass, its staging models and marts hold the DuckDB build's rows to
the digit, each column of the type DuckDB gives it, and a quarter built again keeps the others."""
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from ingestion.parquet import export_events, exported_tables
from kumkm.warehouse import DBT_PROJECT

STAGING = ["stg_ods__rats", "stg_ods__kegiatans", "stg_sip3__umkms", "stg_sip3__pembinaans",
           "stg_ledger__anggarans", "stg_ledger__realisasis", "stg_manual__indikators", "stg_manual__publikasis"]
MARTS = sorted(path.stem for path in (DBT_PROJECT / "models" / "marts").rglob("*.sql"))
# The marts Spark partitions (macros/spark/quarters_replaced.sql): their partition columns are folder
# names, typed int by Spark's table, as on DuckDB.
QUARTER = "hive_partitioning = true, hive_types = {'tahun': INTEGER, 'triwulan': INTEGER}"


def dbt(home: Path, run: str, *args: str) -> Path:
    """Runs dbt on the spark target in `home`; returns the run's target folder."""
    target = home / "dbt" / run
    done = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--target", "spark", "--project-dir", str(DBT_PROJECT),
         "--profiles-dir", str(DBT_PROJECT), "--target-path", str(target), "--log-path", str(target / "logs")],
        env={**os.environ, "KUMKM_HOME": str(home)}, cwd=home, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    return target


def known_at(demo_home: Path) -> str:
    with duckdb.connect(str(demo_home / "transform.duckdb"), read_only=True) as con:
        [(k,)] = con.execute("select distinct known_at from marts.fct_indicator_quarterly").fetchall()
    return k.isoformat(sep=" ")


@pytest.fixture(scope="module")
def spark_home(demo_home, tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("spark") / "home"
    home.mkdir()
    export_events(demo_home / "events.duckdb", home / "events_parquet")
    dbt(home, "build", "build", "--vars", json.dumps({"knowledge_time": known_at(demo_home)}))
    return home


def table_files(home: Path, schema: str, table: str) -> list[Path]:
    return sorted((home / "spark" / "warehouse" / f"{schema}.db" / table).rglob("*.parquet"))


def spark_relation(home: Path, schema: str, table: str) -> str:
    folder = home / "spark" / "warehouse" / f"{schema}.db" / table
    if any(folder.glob("tahun=*")):
        return f"read_parquet('{folder}/*/*/*.parquet', {QUARTER})"
    return f"read_parquet('{folder}/*.parquet')"


def differences(demo_home: Path, spark_home: Path, schema: str, table: str) -> dict:
    """The rows (exact values) and column types of the table built on DuckDB and on Spark, and the
    rows only one of them has."""
    with duckdb.connect() as con:
        con.execute(f"attach '{demo_home / 'transform.duckdb'}' as duck (read_only)")
        built = f"duck.{schema}.{table}"
        rows = con.execute(f"select count(*) from {built}").fetchone()[0]
        if not table_files(spark_home, schema, table):  # Spark writes no file for no row
            return {"rows": rows, "spark_rows": 0}
        on_spark = spark_relation(spark_home, schema, table)
        types = column_types(con, built)
        listed = ", ".join(f'"{c}"' for c in types)
        return {
            "rows": rows,
            "spark_rows": con.execute(f"select count(*) from {on_spark}").fetchone()[0],
            "types": types,
            "spark_types": column_types(con, on_spark),
            "only_duckdb": con.execute(f"select count(*) from (select {listed} from {built} except all "
                                       f"select {listed} from {on_spark})").fetchone()[0],
            "only_spark": con.execute(f"select count(*) from (select {listed} from {on_spark} except all "
                                      f"select {listed} from {built})").fetchone()[0],
        }


def column_types(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return dict(con.execute(f"select column_name, column_type from (describe select * from {relation})").fetchall())


def assert_equal(found: dict) -> None:
    assert found["spark_rows"] == found["rows"]
    if "types" in found:
        assert found["spark_types"] == found["types"]
        assert (found["only_duckdb"], found["only_spark"]) == (0, 0)


def test_every_seed_model_and_test_passes_on_spark(spark_home):
    target = spark_home / "dbt" / "build"
    nodes = json.loads((target / "manifest.json").read_text())["nodes"].values()
    results = json.loads((target / "run_results.json").read_text())["results"]
    built = ("seed", "model", "test")
    assert {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith(built)} == {
        node["unique_id"]: "pass" if node["resource_type"] == "test" else "success"
        for node in nodes if node["resource_type"] in built}


@pytest.mark.parametrize("model", STAGING)
def test_a_staging_model_on_spark_holds_the_rows_of_the_duckdb_build(spark_home, demo_home, model):
    found = differences(demo_home, spark_home, "staging", model)
    assert found["rows"] > 0
    assert_equal(found)


@pytest.mark.parametrize("mart", MARTS)
def test_a_mart_on_spark_holds_the_rows_and_types_of_the_duckdb_build(spark_home, demo_home, mart):
    found = differences(demo_home, spark_home, "marts", mart)
    if mart in ("fct_indicator_quarterly", "fct_budget_quarterly"):
        assert found["rows"] > 0
    assert_equal(found)


def test_a_quarter_built_again_on_spark_replaces_its_partitions_and_keeps_the_others(spark_home, demo_home):
    with duckdb.connect(str(demo_home / "transform.duckdb"), read_only=True) as con:
        [(tahun, triwulan)] = con.execute("select tahun, triwulan from marts.fct_indicator_quarterly "
                                          "order by tahun desc, triwulan desc limit 1").fetchall()
    quarter = f"tahun={tahun}/triwulan={triwulan}"
    partitioned = [m for m in MARTS if any((spark_home / "spark" / "warehouse" / "marts.db" / m).glob("tahun=*"))]
    before = {m: table_files(spark_home, "marts", m) for m in partitioned}

    built = f"{tahun}Q{triwulan}"
    dbt(spark_home, "quarter", "run", "--select", "int_quarters+", "--vars", json.dumps(
        {"knowledge_time": known_at(demo_home), "quarter_from": built, "quarter_to": built}))

    assert "fct_indicator_quarterly" in partitioned
    for mart in partitioned:
        after = table_files(spark_home, "marts", mart)
        assert [f for f in after if quarter not in str(f)] == [f for f in before[mart] if quarter not in str(f)]
        assert not {f for f in after if quarter in str(f)} & set(before[mart]), mart
        assert_equal(differences(demo_home, spark_home, "marts", mart))


def test_spark_registers_by_default_the_tables_of_the_export(spark_home):
    project = yaml.safe_load((DBT_PROJECT / "dbt_project.yml").read_text())
    assert project["vars"]["events_parquet_tables"] == exported_tables(spark_home / "events_parquet")
