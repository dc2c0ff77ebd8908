"""Shared test helpers. Every test gets its own KUMKM_HOME under tmp_path."""
from __future__ import annotations

import csv
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from kumkm.cli import main
from kumkm.home import Home


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv("KUMKM_HOME", str(root))
    return root


@pytest.fixture
def warehouse(demo_home, tmp_path, monkeypatch) -> Path:
    """A copy of the demo warehouse, the test's KUMKM_HOME, to change."""
    copy = tmp_path / "home"
    shutil.copytree(demo_home, copy)
    monkeypatch.setenv("KUMKM_HOME", str(copy))
    return copy


@pytest.fixture
def kumkm(home):
    """Runs the `kumkm` command in-process against the test's home; returns the click Result."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def write_csv(path: Path, header: list[str], rows: list[list[object]], delimiter: str = ",",
              bom: bool = False, newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path


def write_sheet(path: Path, header: list[str], rows: list[list[object]], sheet: str) -> Path:
    """XLSX or ODS by the suffix; numbers, dates and text keep their cell types."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    engine = "odf" if path.suffix == ".ods" else "openpyxl"
    frame.to_excel(path, sheet_name=sheet, index=False, engine=engine)
    return path


def restaged(home, model: str, compiled: Path | None = None) -> None:
    """The staging table of `model` built again from the home's event store (a Home or its folder) by
    the model's compiled SQL (the last refresh's, or the one under `compiled`): staging models are
    tables, so a break made in the event store reaches them as it would through a refresh."""
    home = home.root if isinstance(home, Home) else Path(home)
    [sql] = (compiled or home / "dbt" / "compiled").rglob(f"{model}.sql")
    con = duckdb.connect(str(home / "transform.duckdb"))
    try:
        con.execute("attach $path as events (read_only)", {"path": str(home / "events.duckdb")})
        con.execute(f"create or replace table staging.{model} as {sql.read_text()}")
    finally:
        con.close()


def query(events_db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(events_db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


__all__ = ["write_csv", "write_sheet", "query", "date", "datetime"]


RAT_HEADER = ["nik", "nama_koperasi", "jenis_koperasi", "kecamatan", "status_koperasi", "tahun_buku",
              "tanggal_rat", "jumlah_anggota", "jumlah_pengurus", "aset", "volume_usaha"]
KEGIATAN_HEADER = ["id_kegiatan", "nik", "tanggal", "jenis", "hasil", "jumlah_peserta"]
UMKM_HEADER = ["id_umkm", "nama_usaha", "nama_pemilik", "nik_pemilik", "no_hp", "kecamatan", "sektor_usaha",
               "skb", "tanggal_skb", "nib", "tanggal_nib", "omzet_tahunan", "informal_pkl", "tdu_pkl",
               "status_usaha", "tanggal_pendataan"]
PEMBINAAN_HEADER = ["id_pembinaan", "id_umkm", "tanggal", "jenis"]
ANGGARAN_HEADER = ["tahun_anggaran", "tahap", "tanggal_penetapan", "kode_sub_kegiatan", "nama_program",
                   "nama_kegiatan", "nama_sub_kegiatan", "pagu"]
REALISASI_HEADER = ["tahun_anggaran", "no_sp2d", "tanggal_sp2d", "kode_sub_kegiatan", "kode_rekening", "nilai"]
INDIKATOR_HEADER = ["kode_indikator", "tahun", "triwulan", "nilai", "sumber"]


def anggaran_row(kode: str, pagu: object, tahap: str = "MURNI", tanggal: str = "02/01/2025") -> list[object]:
    return [2025, tahap, tanggal, kode, "Penunjang Urusan", "Administrasi Keuangan", "Penyediaan Gaji", pagu]


def seven_kinds(root: Path) -> dict[str, Path]:
    """A landing folder with one small file of every kind, in mixed formats, each with one bad row."""
    files = {
        "rat": write_sheet(root / "ods" / "rat_20250331.xlsx", RAT_HEADER, [
            ["3275010000000001", "Koperasi Maju", "Konsumen", "Mustika Jaya", "Aktif", 2024, date(2025, 3, 5),
             120, 3, 1_500_000_000, 2_250_000_000],
            ["3275010000000002", "Koperasi Jaya", "Simpan Pinjam", "RAWA LUMBU", "Aktif", 2024, None,
             80, 5, 900_000_000.5, 1_000_000],
            ["3275010000000003", "Koperasi Salah", "Jasa", "Cikarang", "Aktif", 2024, date(2025, 4, 1),
             10, 3, 1, 1],
        ], "rat"),
        "kegiatan": write_sheet(root / "ods" / "kegiatan_20250331.ods", KEGIATAN_HEADER, [
            ["K-1", "3275010000000001", date(2025, 2, 10), "PEMERIKSAAN", "PATUH", None],
            ["K-2", "3275010000000002", date(2025, 2, 11), "DIKLAT", None, 4],
            ["K-3", "3275010000000002", date(2025, 2, 12), "PENILAIAN_KESEHATAN", None, None],
        ], "kegiatan"),
        "umkm": write_csv(root / "sip3" / "umkm_20250331.csv", UMKM_HEADER, [
            ["U-1", "Warung Sari", "Siti Aminah", "3275014506800001", "081234567788", "Bantar Gebang", "Kuliner",
             "SKB/1", "05/01/2025", "1234567890123", "06/01/2025", "1.250.000.000", "Tidak", "", "Aktif",
             "10/03/2025"],
            ["U-2", "Bakso Pak Budi", "Budi Santoso", "3275011203750002", "", "Jatiasih", "Kuliner",
             "", "", "", "", "Rp 90.000.000", "Ya", "TDU/7", "Aktif", "11/03/2025"],
            ["U-3", "Jahit Rina", "Rina Wati", "32750112", "", "Jatiasih", "Fashion",
             "", "", "", "", "", "Tidak", "", "Aktif", "12/03/2025"],
        ], delimiter=";", bom=True, newline="\r\n"),
        "pembinaan": write_csv(root / "sip3" / "pembinaan_20250331.csv", PEMBINAAN_HEADER, [
            ["P-1", "U-1", "2025-02-01", "PELATIHAN"],
            ["P-2", "U-2", "2025-02-02", "PAMERAN"],
            ["P-3", "U-2", "2025-02-30", "PAMERAN"],
        ]),
        "anggaran": write_csv(root / "ledger" / "anggaran_20250102.csv", ANGGARAN_HEADER, [
            anggaran_row("2.17.01.2.02.0001", "1.205.908.800"),
            anggaran_row("2.17.04.2.01.0001", "70.262.000"),
            anggaran_row("2.17.04.2.01.0002", "63.129.00"),
        ], delimiter=";"),
        "realisasi": write_sheet(root / "ledger" / "realisasi_20250331.ods", REALISASI_HEADER, [
            [2025, "SP2D-0001", date(2025, 3, 5), "2.17.01.2.02.0001", "5.1.01.01.01.0001", 600_000_000],
            [2025, "SP2D-0002", date(2025, 3, 6), "2.17.04.2.01.0001", "5.1.02.01.01.0024", "-1.250.000"],
            [2025, "SP2D-0003", date(2025, 3, 7), "2.17.09.2.01.0001", "5.1.02.01.01.0024", 5_000_000],
        ], "realisasi"),
        "indikator": write_csv(root / "manual" / "indikator_20260115.csv", INDIKATOR_HEADER, [
            ["RPD-01", 2025, 4, "78,24", "Inspektorat"],
            ["PRG-01B", 2025, 4, "85.85", "BKPSDM"],
            ["IKU-01", 2025, 4, "20", "salah"],
        ]),
    }
    return files


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory) -> Path:
    """The bundled sample, ingested once per test session by the real `kumkm demo`. Read-only for tests."""
    import os
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("demo") / "home"
    done = subprocess.run([str(Path(sys.executable).parent / "kumkm"), "demo"], cwd=root.parent,
                          env={**os.environ, "KUMKM_HOME": str(root)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (root / "demo_stdout.txt").write_text(done.stdout)
    return root
