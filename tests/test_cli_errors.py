"""The errors a user meets (issue 12, item 8): one line, a non-zero exit, never a traceback; and the
output read every day: ingest's summary, a refresh's progress (test_publikasi), `--version`."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import INDIKATOR_HEADER, write_csv

KUMKM = Path(sys.executable).parent / "kumkm"


def run(home: Path, *args: str) -> subprocess.CompletedProcess:
    """`kumkm` as a user runs it: its own process, stdout and stderr apart."""
    return subprocess.run([str(KUMKM), *map(str, args)], env={**os.environ, "KUMKM_HOME": str(home)},
                          capture_output=True, text=True, timeout=600)


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr
    return done.stderr.strip()


@pytest.fixture
def warehouse(demo_home, tmp_path):
    copy = tmp_path / "home"
    shutil.copytree(demo_home, copy)
    return copy


def test_refresh_of_an_empty_home(home):
    assert one_line_error(run(home, "refresh", "--all")) == \
        f"Error: nothing ingested yet in {home}: run `kumkm ingest` first."


def test_report_without_a_serving_database(home):
    for args in (["report"], ["report", "--quarter", "2025Q4"]):
        assert one_line_error(run(home, *args)) == \
            f"Error: no serving database at {home / 'serving.duckdb'}: run `kumkm refresh --all`"


def test_report_and_refresh_of_a_quarter_with_no_data(warehouse):
    assert one_line_error(run(warehouse, "report", "--quarter", "2019Q1")) == (
        "Error: the serving database holds no figures of 2019Q1 (it holds 2021Q1 to 2025Q4): "
        "run `kumkm refresh --quarter 2019Q1`")
    served = (warehouse / "serving.duckdb").read_bytes()
    assert one_line_error(run(warehouse, "refresh", "--quarter", "2019Q1")) == (
        "Error: no data for 2019Q1: the event store holds no record of it (quarters with data: "
        "`kumkm refresh --all`). The serving database keeps its previous state.")
    assert (warehouse / "serving.duckdb").read_bytes() == served


def test_audit_of_an_unknown_document(warehouse):
    assert one_line_error(run(warehouse, "audit", "--dokumen", "LKIP 2024")) == \
        "Error: no published document 'LKIP 2024' in the warehouse; known: 'LKIP 2025'"
    assert run(warehouse, "audit", "--dokumen", "LKIP 2025").stdout.startswith(
        "Published figures that disagree with the warehouse: 8")


def test_audit_of_a_serving_database_older_than_the_audit(warehouse):
    """A serving database published before the audit classified its disagreements (an upgrade)."""
    con = duckdb.connect(str(warehouse / "serving.duckdb"))
    try:
        con.execute("alter table marts.fct_publikasi_audit drop column jenis_selisih")
    finally:
        con.close()
    error = one_line_error(run(warehouse, "audit"))
    assert error.startswith('Error: the serving database predates this audit (Binder Error: Referenced column '
                            '"jenis_selisih" not found')
    assert error.endswith("run `kumkm refresh --all`")


def test_ingest_into_an_event_store_older_than_the_contract(warehouse, tmp_path):
    """A home made before manual/publikasi had tanggal_terbit: its events stay, a new home takes the files."""
    con = duckdb.connect(str(warehouse / "events.duckdb"))
    try:
        con.execute("alter table manual.publikasi drop column tanggal_terbit")
    finally:
        con.close()
    figure = write_csv(tmp_path / "landing" / "manual" / "indikator_20260115.csv", INDIKATOR_HEADER,
                       [["RPD-01", 2025, 4, "78,24", "Inspektorat"]])
    assert one_line_error(run(warehouse, "ingest", figure)) == (
        f"Error: the event store {warehouse / 'events.duckdb'} predates the contract's "
        "manual.publikasi.tanggal_terbit (sources.md): ingest the exports into a new KUMKM_HOME")


def test_version(home):
    done = run(home, "--version")
    assert done.returncode == 0 and done.stdout == "kumkm, version 0.1.0\n"


def test_ingest_prints_its_summary_and_reading_lines_only_when_verbose(home, tmp_path):
    figure = write_csv(tmp_path / "landing" / "manual" / "indikator_20260115.csv", INDIKATOR_HEADER,
                       [["RPD-01", 2025, 4, "78,24", "Inspektorat"]])
    done = run(home, "ingest", figure)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split() == ["file", "status", "read", "added", "known", "rejected"]
    assert "reading" not in done.stdout + done.stderr
    again = shutil.copy(figure, tmp_path / "landing" / "manual" / "indikator_20260116.csv")
    done = run(home, "-v", "ingest", again)
    assert "reading manual/indikator_20260116.csv" in done.stderr
    assert ("indikator_20260116.csv: already ingested (same bytes as indikator_20260115.csv, ingested before)"
            in done.stdout)
