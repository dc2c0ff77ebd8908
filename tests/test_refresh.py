"""`kumkm refresh`, `report` and `serving-path` on a copy of the demo warehouse."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

from conftest import INDIKATOR_HEADER, query, write_csv
from kumkm.report import BUDGET_COLUMNS, INDICATOR_COLUMNS


def quarters(served) -> list[tuple]:
    return query(served, "select distinct tahun, triwulan, known_at from marts.fct_indicator_quarterly "
                 "order by 1, 2")


def budget_quarters(served) -> list[tuple]:
    return query(served, "select distinct tahun, triwulan from marts.fct_budget_quarterly order by 1, 2")


def test_refreshing_one_quarter_rebuilds_it_and_keeps_the_others(warehouse, kumkm):
    before = quarters(warehouse / "serving.duckdb")
    budget_before = budget_quarters(warehouse / "serving.duckdb")
    figure = write_csv(warehouse / "landing" / "manual" / "indikator_20260301.csv", INDIKATOR_HEADER,
                       [["RPD-01", 2025, 2, "80,00", "Inspektorat"]])
    assert kumkm("ingest", figure).exit_code == 0
    result = kumkm("refresh", "--quarter", "2025Q2")
    assert result.exit_code == 0, result.output
    after = quarters(warehouse / "serving.duckdb")
    assert [q[:2] for q in after] == [q[:2] for q in before]
    changed = [q[:2] for q, b in zip(after, before) if q[2] != b[2]]
    assert changed == [(2025, 2)]
    assert budget_quarters(warehouse / "serving.duckdb") == budget_before


def test_a_refresh_with_nothing_new_says_so_and_keeps_the_serving_database(warehouse, kumkm):
    served = (warehouse / "serving.duckdb").read_bytes()
    for args in (["--all"], ["--quarter", "2025Q4"]):
        result = kumkm("refresh", *args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("nothing new since the refresh as known at ")
    assert (warehouse / "serving.duckdb").read_bytes() == served


@pytest.fixture
def project(monkeypatch, tmp_path):
    """A copy of the dbt project that refreshes build from, to edit."""
    from kumkm import warehouse as built

    copy = tmp_path / "dbt_project"
    shutil.copytree(built.DBT_PROJECT, copy, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(built, "DBT_PROJECT", copy)
    return copy


def test_a_changed_model_makes_the_next_refresh_build(warehouse, kumkm, project):
    (project / "models" / "marts" / "wilayah" / "dim_kecamatan.sql").open("a").write("\n-- edited\n")
    result = kumkm("refresh", "--quarter", "2025Q4")
    assert result.exit_code == 0 and result.output.startswith("refreshed 2025Q4 as known at "), result.output


@pytest.mark.parametrize("model, grain", [
    ("int_umkm_pendataan", "id_umkm, tanggal_pendataan"),
    ("int_umkm_states_replayed", "tahun, triwulan, id_umkm"),
    ("int_koperasi_states_replayed", "tahun, triwulan, nik_koperasi"),
    ("int_keluaran", "sumber, id_aktivitas"),
])
def test_the_large_intermediate_models_hold_one_row_per_grain(demo_home, model, grain):
    # Their grain follows from the staging keys the staging suites check, so a refresh does not pay to
    # count millions of rows again (see the models' yml); this catches a change of their SQL breaking it.
    rows, keys = query(demo_home / "transform.duckdb",
                       f"select count(*), count(distinct ({grain})) from intermediate.{model}")[0]
    assert rows == keys > 0


def test_a_null_in_a_tested_column_stops_the_refresh(warehouse, kumkm, project):
    served = (warehouse / "serving.duckdb").read_bytes()
    model = project / "models" / "marts" / "wilayah" / "dim_kecamatan.sql"
    model.write_text(model.read_text().replace("    kecamatan,", "    case when kecamatan <> 'Bekasi Barat' "
                                                                   "then kecamatan end as kecamatan,"))
    result = kumkm("refresh", "--all")
    assert result.exit_code == 1
    assert "dbt build failed: test dim_kecamatan_well_formed: Got 1 result" in result.output
    assert (warehouse / "serving.duckdb").read_bytes() == served


def test_report_formats(warehouse, kumkm):
    table = kumkm("report", "--quarter", "2025Q4").output
    assert "PRG-05" in table and "164.59" in table and "10,418,539,476.00" in table
    iku02 = next(line for line in table.splitlines() if line.startswith("IKU-02"))
    assert iku02.split()[-5:] == ["0.1", "0.1", "%", "100.00", "B"]  # target and realisasi with IKU-02's decimal

    output = kumkm("report", "--quarter", "2025Q4", "--format", "json").output
    data = json.loads(output)
    assert data["quarter"] == "2025Q4"
    assert {r["kode_indikator"] for r in data["indicators"]} >= {"IKU-01", "IKU-02", "RPD-03"}
    assert data["budget"][-1]["kode"] == "2.17" and data["budget"][-1]["serapan_pct"] == 83.05
    exact = {r["kode_indikator"]: r for r in json.loads(output, parse_float=Decimal)["indicators"]}
    assert [str(exact["IKU-02"][c]) for c in ("target", "realisasi", "capaian_pct")] == ["0.1", "0.1", "100.00"]
    assert [str(exact["PRG-01C"][c]) for c in ("target", "realisasi")] == ["93.00", "97.70"]
    assert exact["RPD-01"]["realisasi"] == Decimal("78.24")

    rows = list(csv.reader(io.StringIO(kumkm("report", "--quarter", "2025Q4", "--format", "csv").output)))
    assert rows[0] == INDICATOR_COLUMNS and len(rows) == 17  # one table: the 16 indicators
    assert next(r for r in rows if r[0] == "IKU-02")[2:4] == ["0.1", "0.1"]
    budget = kumkm("report", "--quarter", "2025Q4", "--format", "csv", "--table", "budget").output
    rows = list(csv.reader(io.StringIO(budget)))
    assert rows[0] == BUDGET_COLUMNS and rows[-1] == ["2.17", "Koperasi, Usaha Kecil, dan Menengah", "13479433500.00",
                                                     "12545556074.00", "10418539476.00", "83.05"]


def test_report_to_a_file_and_its_errors(warehouse, kumkm, tmp_path):
    out = tmp_path / "anggaran.csv"
    written = kumkm("report", "--format", "csv", "--table", "budget", "--out", out)
    assert written.exit_code == 0 and written.output == f"written: {out}\n"
    assert out.read_text() == kumkm("report", "--format", "csv", "--table", "budget").output
    missing = kumkm("report", "--quarter", "2030Q1")
    assert missing.exit_code == 1 and missing.output.startswith(
        "Error: the serving database holds no figures of 2030Q1") and len(missing.output.splitlines()) == 1
    assert kumkm("report", "--format", "html", "--table", "budget").exit_code == 2


def test_the_tables_do_not_load_the_chart_library(warehouse):
    """table, csv and json stay fast: Altair and vl-convert (seconds to load) are for html only."""
    loaded = subprocess.run([sys.executable, "-c", """
import sys
from click.testing import CliRunner
from kumkm.cli import main
for fmt in ("table", "csv", "json"):
    assert CliRunner().invoke(main, ["report", "--format", fmt]).exit_code == 0
print(sorted(m for m in ("altair", "vl_convert", "jinja2", "kumkm.laporan") if m in sys.modules))
"""], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_serving_path_and_marts(warehouse, kumkm):
    assert kumkm("serving-path").output.strip() == str(warehouse / "serving.duckdb")
    tables = {t for (t,) in query(warehouse / "serving.duckdb", "select table_name from "
                                  "information_schema.tables where table_schema = 'marts'")}
    assert tables >= {"fct_indicator_quarterly", "fct_budget_quarterly", "dim_indicator", "dim_program",
                      "dim_kecamatan", "fct_koperasi_kecamatan_quarterly", "fct_umkm_kecamatan_quarterly"}


def test_bad_quarter_and_missing_serving_database(tmp_path, kumkm):
    assert kumkm("refresh", "--quarter", "2025Q5").exit_code != 0
    result = kumkm("report")
    assert result.exit_code != 0 and "kumkm refresh --all" in result.output
