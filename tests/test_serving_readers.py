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

from conftest import INDIKATOR_HEADER, query, write_csv
from ingestion.ingest import ingest
from kumkm.home import Home
from kumkm.refresh import refresh
from kumkm.warehouse import Quarter

BIN = Path(sys.executable).parent

# The figures of 2025Q3 a reader checks, with the knowledge time each was computed at: the indicators and the
# budget per program and in total.
FIGURES_2025Q3 = """
select known_at::varchar, kode_indikator, nilai_dibulatkan::varchar, capaian_pct::varchar
from marts.fct_indicator_quarterly where tahun = 2025 and triwulan = 3
union all
select known_at::varchar, kode, realisasi::varchar, serapan_pct::varchar
from marts.fct_budget_quarterly where tahun = 2025 and triwulan = 3 and level in ('program', 'total')
order by 2
"""

# A reader: in a loop until `stop` exists (at most 10 minutes), opens the serving file read-only and, in one
# transaction, counts the rows of every mart and reads 2025Q3's figures; prints how many reads it made, its errors,
# and each distinct set of figures it read (with how many times).
READER = """
import json, sys, time
from collections import Counter
from pathlib import Path
import duckdb

serving, stop, figures = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
seen, errors, reads, deadline = Counter(), [], 0, time.monotonic() + 600
while not stop.exists() and time.monotonic() < deadline:
    try:
        con = duckdb.connect(serving, read_only=True)
        try:
            con.execute("begin transaction")
            marts = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                               "where table_schema = 'marts'").fetchall()]
            for table in marts:
                con.execute(f"select count(*) from marts.{table}").fetchall()
            seen[json.dumps(con.execute(figures).fetchall())] += 1
            con.execute("commit")
            reads += 1
        finally:
            con.close()
    except Exception as e:
        errors.append(f"{type(e).__name__}: {e}")
    time.sleep(0.1)
print(json.dumps({"reads": reads, "errors": errors, "snapshots": [[json.loads(s), n] for s, n in seen.items()]}))
"""


def served_2025q3(serving: Path) -> tuple[str, list[list]]:
    """The knowledge time of 2025Q3's served figures, and the figures as a reader reads them."""
    figures = [list(row) for row in query(serving, FIGURES_2025Q3)]
    [k] = {row[0] for row in figures}
    return k, figures


def test_readers_never_see_an_error_or_a_mixed_state_while_refreshes_publish(warehouse, tmp_path):
    """Three refreshes of 2025Q3, each after a new delivery of its PRG-01C figure (so its figures and
    known_at change), while three processes read: every read gives the figures one refresh
    published, all of them, and no error. A refresh takes some 10 s; the swap is what readers can meet."""
    home, serving, stop = Home(warehouse), warehouse / "serving.duckdb", tmp_path / "stop"
    published = dict([served_2025q3(serving)])
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(serving), str(stop), FIGURES_2025Q3],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    try:
        time.sleep(1)
        for n, nilai in enumerate(("96,80", "97,05", "97,35"), start=1):
            delivery = write_csv(tmp_path / "manual" / f"indikator_2026040{n}_tw3.csv", INDIKATOR_HEADER,
                                 [["PRG-01C", 2025, 3, nilai, "BPKAD Kota Bekasi"]])
            [ingested] = ingest([delivery], home.events_db)
            assert ingested.rows_added == 1
            refresh(home, Quarter(2025, 3), Quarter(2025, 3))
            k, figures = served_2025q3(serving)
            assert k not in published and figures not in published.values()
            published[k] = figures
        time.sleep(1)
    finally:
        stop.touch()
        seen = [json.loads(reader.communicate(timeout=60)[0]) for reader in readers]
    assert [r["errors"] for r in seen] == [[], [], []]
    assert all(r["reads"] > 0 for r in seen)
    snapshots = [figures for r in seen for figures, _ in r["snapshots"]]
    for figures in snapshots:
        known = {row[0] for row in figures}
        assert len(known) == 1, f"a reader saw figures of two refreshes at once: {sorted(known)}"
        assert figures == published[known.pop()], "a reader saw figures no refresh published"
    assert {figures[0][0] for figures in snapshots} == set(published), "the readers read every published state"


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
