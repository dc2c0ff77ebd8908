"""`kumkm refresh --target spark` (issue 17): the sample's warehouse built by the same dbt models on a
Spark local[2] session, gated and published into the same serving contract as the DuckDB build."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import INDIKATOR_HEADER, query, write_csv

KUMKM = str(Path(sys.executable).parent / "kumkm")


def kumkm(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KUMKM, *args], env={**os.environ, "KUMKM_HOME": str(home)}, cwd=home.parent,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def spark_home(demo_home, tmp_path_factory) -> Path:
    """The demo's event store alone, refreshed on Spark."""
    home = tmp_path_factory.mktemp("spark-refresh") / "home"
    home.mkdir()
    shutil.copy2(demo_home / "events.duckdb", home / "events.duckdb")
    done = kumkm(home, "refresh", "--all", "--target", "spark")
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    (home / "refresh_output.txt").write_text(done.stdout + done.stderr)
    return home


def marts(serving: Path) -> dict[str, list[tuple[str, str]]]:
    """Each mart's (column, type) in order; an enum, a closed set of texts DuckDB alone stores so
    (macros/basis/reasons.sql), as the text it holds."""
    with duckdb.connect(str(serving), read_only=True) as con:
        rows = con.execute("select table_name, column_name, data_type from information_schema.columns "
                           "where table_schema = 'marts' order by table_name, ordinal_position").fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, "VARCHAR" if data_type.startswith("ENUM(") else data_type))
    return tables


def test_the_spark_refresh_says_what_it_did_in_a_line(spark_home):
    said = (spark_home / "refresh_output.txt").read_text().splitlines()
    assert said[0].startswith("refreshed every quarter with data as known at")
    assert not [line for line in said if " WARN " in line or "Traceback" in line]


def test_the_spark_build_serves_the_marts_of_the_duckdb_build_with_their_columns_in_order(spark_home, demo_home):
    assert marts(spark_home / "serving.duckdb") == marts(demo_home / "serving.duckdb")


def test_every_served_row_on_spark_equals_the_duckdb_build_but_its_knowledge_time(spark_home, demo_home):
    assert served_rows_differing(spark_home, demo_home) == {}


def served_rows_differing(spark_home: Path, demo_home: Path) -> dict[str, int]:
    """Per mart, the rows served from Spark and not from DuckDB or the other way round (compared with
    the types DuckDB serves, every column but the knowledge time)."""
    differing = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{spark_home / 'serving.duckdb'}' as spark (read_only)")
        con.execute(f"attach '{demo_home / 'serving.duckdb'}' as duck (read_only)")
        for table, columns in marts(demo_home / "serving.duckdb").items():
            listed = ", ".join(f'cast("{c}" as {t}) as "{c}"' for c, t in columns if not c.startswith("known_at"))
            on_spark, on_duckdb = (f"select {listed} from {db}.marts.{table}" for db in ("spark", "duck"))
            differ = con.execute(f"select count(*) from (({on_duckdb} except all {on_spark}) "
                                 f"union all ({on_spark} except all {on_duckdb}))").fetchone()[0]
            if differ:
                differing[table] = differ
    return differing


def test_the_quality_gate_ran_on_the_spark_build(spark_home):
    with duckdb.connect(str(spark_home / "quality" / "results.duckdb"), read_only=True) as con:
        suites = {suite for (suite,) in con.execute("select distinct suite from results").fetchall()}
    assert {"marts__fct_indicator_quarterly", "staging__sip3_umkms"} <= suites


def test_a_quarter_rebuilt_on_spark_keeps_the_other_quarters_as_duckdb_does(spark_home, demo_home, tmp_path):
    """A figure delivered for 2025Q2, then that quarter refreshed: on Spark and on a copy of the DuckDB
    build, the same served rows; on Spark, only 2025Q2 has the new knowledge time."""
    duckdb_home = tmp_path / "home"
    shutil.copytree(demo_home, duckdb_home)
    quarters = "select distinct tahun, triwulan, known_at from marts.fct_indicator_quarterly order by 1, 2"
    before = query(spark_home / "serving.duckdb", quarters)
    for home, target in ((spark_home, "spark"), (duckdb_home, "local")):
        figure = write_csv(home / "landing" / "manual" / "indikator_20260301.csv", INDIKATOR_HEADER,
                           [["RPD-01", 2025, 2, "80,00", "Inspektorat"]])
        for args in (("ingest", str(figure)), ("refresh", "--quarter", "2025Q2", "--target", target)):
            done = kumkm(home, *args)
            assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    after = query(spark_home / "serving.duckdb", quarters)
    assert [q[:2] for q, b in zip(after, before) if q != b] == [(2025, 2)]
    assert served_rows_differing(spark_home, duckdb_home) == {}


def test_a_spark_refresh_with_nothing_new_builds_nothing_and_a_local_one_builds_again(spark_home):
    """After the quarter rebuilt above: the serving database holds 2025Q2 as Spark built it."""
    again = kumkm(spark_home, "refresh", "--quarter", "2025Q2", "--target", "spark")
    assert again.returncode == 0 and again.stdout.startswith("nothing new since the refresh as known at")
    local = kumkm(spark_home, "refresh", "--quarter", "2025Q2")
    assert local.returncode == 0 and local.stdout.startswith("refreshed 2025Q2 as known at"), local.stderr
