"""Readers of the serving database: processes reading while refreshes publish, a DuckDB 1.x shell,
Superset's SQLAlchemy URL, and the Parquet / CSV export for tools that read no DuckDB."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import query
from kumkm.home import Home
from kumkm.warehouse import Quarter, refresh, utc_now

BIN = Path(sys.executable).parent

# A reader: in a loop until `stop` exists (at most 5 minutes), opens the serving file read-only, reads
# every mart, and records the knowledge times of 2025Q4's indicator and budget figures; prints what it saw.
READER = """
import json, sys, time
from pathlib import Path
import duckdb

serving, stop = sys.argv[1], Path(sys.argv[2])
snapshots, errors, reads, deadline = [], [], 0, time.monotonic() + 300
while not stop.exists() and time.monotonic() < deadline:
    try:
        con = duckdb.connect(serving, read_only=True)
        try:
            marts = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                               "where table_schema = 'marts'").fetchall()]
            for table in marts:
                con.execute(f"select count(*) from marts.{table}").fetchall()
            [(known,)] = con.execute(
                "select list(distinct k order by k) from ("
                + " union all ".join(f"select known_at::varchar as k from marts.{t} where tahun = 2025 and triwulan = 4"
                                     for t in ("fct_indicator_quarterly", "fct_budget_quarterly"))
                + ")").fetchall()
            snapshots.append(known)
            reads += 1
        finally:
            con.close()
    except Exception as e:
        errors.append(f"{type(e).__name__}: {e}")
    time.sleep(0.02)
print(json.dumps({"reads": reads, "errors": errors, "snapshots": snapshots}))
"""


def served_known_at(serving: Path) -> str:
    [(k,)] = query(serving, "select distinct known_at::varchar from marts.fct_indicator_quarterly "
                   "where tahun = 2025 and triwulan = 4")
    return k


def test_readers_never_see_an_error_or_a_mixed_state_while_a_refresh_publishes(warehouse, tmp_path):
    """One refresh of 2025Q4 (dbt, the quality gate, the swap) while three processes read: a refresh
    takes some 20 s of CPU, and the swap is what readers can meet."""
    serving, stop = warehouse / "serving.duckdb", tmp_path / "stop"
    published = [served_known_at(serving)]
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(serving), str(stop)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    try:
        time.sleep(1)
        k = refresh(Home(warehouse), Quarter(2025, 4), Quarter(2025, 4), knowledge_time=utc_now())
        published.append(k.isoformat(sep=" "))
        time.sleep(1)
    finally:
        stop.touch()
        seen = [json.loads(reader.communicate(timeout=60)[0]) for reader in readers]
    assert served_known_at(serving) == published[-1]
    assert [r["errors"] for r in seen] == [[], [], []]
    assert all(r["reads"] > 0 for r in seen)
    snapshots = [tuple(s) for r in seen for s in r["snapshots"]]
    assert {len(s) for s in snapshots} == {1}, "a reader saw figures of two refreshes at once"
    assert {s[0] for s in snapshots} <= set(published)
    assert {published[0], published[-1]} <= {s[0] for s in snapshots}, "the readers read during the refreshes"


def test_the_serving_file_opens_in_a_duckdb_1x_shell(warehouse):
    serving = warehouse / "serving.duckdb"
    assert serving.read_bytes()[8:16] == b"DUCK" + (64).to_bytes(4, "little")  # storage 64: DuckDB 1.0 and later
    figure = "from marts.fct_indicator_quarterly where kode_indikator = 'PRG-05' and tahun = 2025 and triwulan = 4"
    [(served,)] = query(serving, f"select capaian_pct {figure}")
    shell = subprocess.run([str(BIN / "duckdb"), "-readonly", "-list", "-noheader", str(serving), "-c",
                            f"select version(); select capaian_pct {figure}"],
                           capture_output=True, text=True, timeout=60)
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split() == ["v1.5.6", str(served)] and str(served) == "164.59"


def test_superset_reads_the_marts_read_only_through_its_sqlalchemy_url(warehouse):
    engine = sa.create_engine(f"duckdb:///{warehouse / 'serving.duckdb'}?access_mode=read_only")
    try:
        assert "fct_indicator_restatement" in sa.inspect(engine).get_table_names(schema="marts")
        with engine.connect() as con:
            total = con.execute(sa.text("select serapan_pct from marts.fct_budget_quarterly "
                                        "where level = 'total' and tahun = 2025 and triwulan = 4")).scalar_one()
            assert str(total) == "83.05"
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                con.execute(sa.text("create table marts.catatan (teks varchar)"))
    finally:
        engine.dispose()


def marts_of(serving: Path) -> dict[str, int]:
    tables = [t for (t,) in query(serving, "select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1")]
    return {t: query(serving, f"select count(*) from marts.{t}")[0][0] for t in tables}


def test_export_parquet_with_a_duckdb_file_of_views_and_csv(warehouse, kumkm, tmp_path):
    counts = marts_of(warehouse / "serving.duckdb")
    result = kumkm("export", "--format", "parquet", "--to", tmp_path / "bi")
    assert result.exit_code == 0, result.output
    assert sorted(Path(p).name for p in result.output.split()) == sorted(
        [f"{t}.parquet" for t in counts] + ["views.duckdb"])
    views = tmp_path / "bi" / "views.duckdb"
    assert marts_of(views) == counts
    shell = subprocess.run([str(BIN / "duckdb"), "-readonly", "-list", "-noheader", str(views), "-c",
                            "select realisasi from marts.fct_budget_quarterly "
                            "where level = 'total' and tahun = 2025 and triwulan = 4"],
                           capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert shell.returncode == 0 and shell.stdout.split() == ["10418539476.00"], shell.stderr

    result = kumkm("export", "--format", "csv")
    assert result.exit_code == 0, result.output
    written = {Path(p).name: Path(p) for p in result.output.split()}
    assert set(written) == {f"{t}.csv" for t in counts}
    assert all(Path(p).parent == warehouse / "export" for p in written.values())
    assert {t: len(written[f"{t}.csv"].read_text().splitlines()) - 1 for t in counts} == counts
