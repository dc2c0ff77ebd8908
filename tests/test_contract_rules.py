"""Every rule of docs/contracts/sources.md, checked on the values read back from the event store.

Most value rules are checked in bulk: every case of a table below is one row of a file per kind, the
files of one format are ingested once (fixture `bulk`), and each parametrized test finds its row by
file name and row number, in the event table when it was accepted or in `ingest.quarantine` when it
was rejected. Rules about whole files (names, headers, formats, ordering, re-reading, record keys,
history) get a small landing folder of their own.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import query, write_csv, write_sheet
from ingestion.ingest import FileResult, ingest

REPO = Path(__file__).resolve().parent.parent
SOURCE = {"rat": "ods", "kegiatan": "ods", "umkm": "sip3", "pembinaan": "sip3",
          "anggaran": "ledger", "realisasi": "ledger", "indikator": "manual", "publikasi": "manual"}
BUDGET_KODE = "2.17.02.2.01.0001"  # the sub-activity every realisasi row below is paid from

# One valid row per kind, in the contract's column order (the order of the header written).
BASE: dict[str, dict[str, object]] = {
    "rat": dict(
        nik="3275010101010001", nama_koperasi="Koperasi Maju Bersama", jenis_koperasi="Konsumen",
        kecamatan="Bekasi Barat", kelurahan="Bintara", status_koperasi="Aktif", tahun_buku="2024",
        tanggal_rat="2025-03-05", jumlah_anggota="120", jumlah_pengurus="5", aset="1.205.908.800",
        volume_usaha="350.000.000", shu="12.500.000", modal_sendiri="500.000.000", modal_luar="100.000.000"),
    "kegiatan": dict(
        id_kegiatan="KG-0001", nik="3275010101010001", tanggal="2025-03-05", jenis="PEMERIKSAAN",
        hasil="PATUH", jumlah_peserta="", kode_sub_kegiatan="2.17.03.2.01.0001"),
    "umkm": dict(
        id_umkm="U-0001", nama_usaha="Warung Sari", nama_pemilik="Siti Aminah", nik_pemilik="3275014506800001",
        no_hp="081234567788", alamat="Jl. Mawar No. 1", kelurahan="Bintara", kecamatan="Bekasi Barat",
        sektor_usaha="Kuliner", skb="SKB/001/2025", tanggal_skb="2025-01-10", nib="1234567890123",
        tanggal_nib="2025-02-01", modal_usaha="5.000.000", omzet_tahunan="60.000.000", tenaga_kerja="2",
        informal_pkl="Ya", tdu_pkl="", status_usaha="Aktif", tanggal_pendataan="2025-03-01"),
    "pembinaan": dict(
        id_pembinaan="PB-0001", id_umkm="U-0001", tanggal="2025-03-05", jenis="PELATIHAN",
        kode_sub_kegiatan="2.17.07.2.01.0001"),
    "anggaran": dict(
        tahun_anggaran="2025", tahap="MURNI", tanggal_penetapan="2025-01-02", kode_sub_kegiatan=BUDGET_KODE,
        nama_program="Program Pengawasan dan Pemeriksaan Koperasi",
        nama_kegiatan="Pemeriksaan dan Pengawasan Koperasi", nama_sub_kegiatan="Pemeriksaan Koperasi",
        pagu="1.205.908.800"),
    "realisasi": dict(
        tahun_anggaran="2025", no_sp2d="SP2D-0001", tanggal_sp2d="2025-03-05", kode_sub_kegiatan=BUDGET_KODE,
        kode_rekening="5.1.02.01.01.0024", uraian="Belanja alat tulis kantor", nilai="1.250.000"),
    "indikator": dict(kode_indikator="RPD-01", tahun="2025", triwulan="1", nilai="83,05", sumber="Inspektorat"),
    "publikasi": dict(dokumen="LKIP 2025", tanggal_terbit="31/01/2026", tabel="Tabel 3.15", kode="2.17.01",
                      tahun="2025", triwulan="4", nilai="", capaian="", pagu="8.448.363.274",
                      realisasi="7.327.081.454", serapan="81.67"),
}

# Required columns as sources.md lists them ("yes"; the conditional ones are not required columns).
REQUIRED = {
    "rat": ["nik", "nama_koperasi", "jenis_koperasi", "kecamatan", "status_koperasi", "tahun_buku",
            "jumlah_anggota", "jumlah_pengurus", "aset", "volume_usaha"],
    "kegiatan": ["id_kegiatan", "nik", "tanggal", "jenis"],
    "umkm": ["id_umkm", "nama_usaha", "nama_pemilik", "nik_pemilik", "kecamatan", "sektor_usaha",
             "informal_pkl", "status_usaha", "tanggal_pendataan"],
    "pembinaan": ["id_pembinaan", "id_umkm", "tanggal", "jenis"],
    "anggaran": ["tahun_anggaran", "tahap", "tanggal_penetapan", "kode_sub_kegiatan", "nama_program",
                 "nama_kegiatan", "nama_sub_kegiatan", "pagu"],
    "realisasi": ["tahun_anggaran", "no_sp2d", "tanggal_sp2d", "kode_sub_kegiatan", "kode_rekening", "nilai"],
    "indikator": ["kode_indikator", "tahun", "triwulan", "nilai", "sumber"],
    "publikasi": ["dokumen", "tanggal_terbit", "tabel", "kode", "tahun", "triwulan"],
}

# A value per row number that makes the record key unique within a bulk file.
UNIQUE = {
    "rat": lambda i: {"nik": f"3275{i:012d}"},
    "kegiatan": lambda i: {"id_kegiatan": f"KG-{i:04d}"},
    "umkm": lambda i: {"id_umkm": f"U-{i:04d}"},
    "pembinaan": lambda i: {"id_pembinaan": f"PB-{i:04d}"},
    "anggaran": lambda i: {"kode_sub_kegiatan": f"2.17.01.2.02.{i:04d}"},
    "realisasi": lambda i: {"no_sp2d": f"SP2D-{i:04d}"},
    "indikator": lambda i: {"tahun": str(2100 + i)},
    "publikasi": lambda i: {"kode": f"2.17.{i:02d}"},
}

with (REPO / "dbt_project" / "seeds" / "indikator.csv").open(newline="", encoding="utf-8") as _f:
    CATALOGUE = {r["kode_indikator"]: r["metode"] for r in csv.DictReader(_f)}
MANUAL_CODES = sorted(k for k, m in CATALOGUE.items() if m == "manual")
OTHER_CODES = sorted(k for k, m in CATALOGUE.items() if m != "manual")

REJECT = object()  # expected "value" of a case that the contract rejects


# ---------------------------------------------------------------------------------------------------
# helpers


def table(kind: str) -> str:
    return f"{SOURCE[kind]}.{kind}"


def rows_of(kind: str, *overrides: dict) -> list[dict]:
    return [{**BASE[kind], **o} for o in overrides]


def write(path: Path, kind: str, rows: list[dict], sheet: str | None = None, **csv_options) -> Path:
    """Writes full rows (dicts over BASE[kind]'s columns) as CSV, XLSX or ODS by the suffix."""
    header = list(BASE[kind])
    cells = [[row.get(h) for h in header] for row in rows]
    if path.suffix.lower() == ".csv":
        return write_csv(path, header, cells, **csv_options)
    return write_sheet(path, header, [[None if v == "" else v for v in r] for r in cells], sheet or kind)


def write_book(path: Path, sheets: dict[str, tuple[list[str], list[list]]]) -> Path:
    """A workbook with several sheets (XLSX or ODS by the suffix); cells keep their types."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="odf" if path.suffix == ".ods" else "openpyxl") as writer:
        for name, (header, rows) in sheets.items():
            pd.DataFrame(rows, columns=header, dtype=object).to_excel(writer, sheet_name=name, index=False)
    return path


def landing(root: Path, kind: str, stamp: str = "20250331", ext: str = "csv", tail: str = "") -> Path:
    return root / "landing" / SOURCE[kind] / f"{kind}_{stamp}{tail}.{ext}"


def run(paths: list[Path], db: Path, **options) -> dict[str, FileResult]:
    """Ingests; checks for every file that rows_read = added + known + rejected, in the result and
    in the batch registry; returns the results by file name."""
    results = ingest([Path(p) for p in paths], db, **options)
    registry = {r[0]: r[1:] for r in query(db, "select batch_id, file_name, status, rows_read, rows_added, "
                                                "rows_known, rows_rejected from ingest.batches")}
    for r in results:
        assert r.rows_read == r.rows_added + r.rows_known + r.rows_rejected, r
        if r.status != "ingested":
            assert (r.rows_read, r.rows_added, r.rows_known, r.rows_rejected) == (0, 0, 0, 0), r
        assert registry[r.batch_id] == (r.path.name, r.status, r.rows_read, r.rows_added, r.rows_known,
                                        r.rows_rejected)
    by_name = {r.path.name: r for r in results}
    assert len(by_name) == len(results)
    return by_name


def counts(r: FileResult) -> tuple:
    return r.status, r.rows_read, r.rows_added, r.rows_known, r.rows_rejected


def events(db: Path, kind: str, where: str = "true", params=None) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(f"select * from {table(kind)} where {where} order by batch_id, row_number",
                          params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        con.close()


def quarantined(db: Path, file: str | None = None) -> list[tuple]:
    """(file, row, column, raw value, reason) of the quarantine, of one file or all."""
    sql = "select source_file, row_number, column_name, raw_value, reason from ingest.quarantine"
    if file is None:
        return query(db, sql + " order by source_file, row_number, column_name")
    return query(db, sql + " where source_file = ? order by row_number, column_name", [file])


def where_cols(rows: list[tuple]) -> list[tuple]:
    """Quarantine rows without the reason: (file, row, column, raw value)."""
    return [r[:4] for r in rows]


def assert_reasons(rows: list[tuple]) -> None:
    assert rows and all(isinstance(r[4], str) and r[4].strip() for r in rows), rows


# ---------------------------------------------------------------------------------------------------
# bulk: the value tables, one row per case, ingested once per format

CASES: dict[str, list[tuple[object, str, dict]]] = {"csv": [], "xlsx": [], "ods": []}


def case(case_id: object, kind: str, fmt: str = "csv", **cells: object) -> None:
    assert all(c in BASE[kind] for c in cells), cells
    CASES[fmt].append((case_id, kind, cells))


@dataclass
class Loaded:
    db: Path
    results: dict[str, FileResult]
    where: dict[object, tuple[str, str, int]]  # case id -> (kind, file name, row number)

    def __post_init__(self) -> None:
        """Reads the event tables and the quarantine once, by (file, row)."""
        self.events: dict[tuple[str, int], dict] = {}
        for kind in BASE:
            for e in events(self.db, kind):
                assert (e["source_file"], e["row_number"]) not in self.events
                self.events[e["source_file"], e["row_number"]] = e
        self.quarantine: dict[tuple[str, int], list[tuple]] = {}
        for q in quarantined(self.db):
            self.quarantine.setdefault((q[0], q[1]), []).append(q)

    def event(self, case_id: object) -> dict | None:
        _, file, row = self.where[case_id]
        return self.events.get((file, row))

    def rejects(self, case_id: object) -> list[tuple]:
        _, file, row = self.where[case_id]
        return self.quarantine.get((file, row), [])

    def value(self, case_id: object, column: str) -> object:
        event = self.event(case_id)
        assert event is not None, f"row was rejected: {self.rejects(case_id)}"
        return event[column]

    def assert_rejected(self, case_id: object, column: str, raw: object) -> list[tuple]:
        """The row is not an event and the quarantine names its file, row, column, raw value, reason."""
        kind, file, row = self.where[case_id]
        rejects = self.rejects(case_id)
        assert self.event(case_id) is None, self.event(case_id)
        assert (file, row, column, raw) in where_cols(rejects), rejects
        assert_reasons(rejects)
        return rejects


@pytest.fixture(scope="module")
def bulk(tmp_path_factory) -> dict[str, Loaded]:
    loaded = {}
    for fmt, cases in CASES.items():
        root = tmp_path_factory.mktemp(f"bulk_{fmt}")
        rows: dict[str, list[dict]] = {kind: [] for kind in BASE}
        where: dict[object, tuple[str, str, int]] = {}
        for case_id, kind, cells in [("budget", "anggaran", {"kode_sub_kegiatan": BUDGET_KODE})] + cases:
            assert case_id not in where, f"case {case_id!r} given twice"
            n = len(rows[kind]) + 1
            rows[kind].append({**BASE[kind], **UNIQUE[kind](n), **cells})
            where[case_id] = (kind, landing(root, kind, ext=fmt).name, n + 1)  # header is row 1
        for kind, kind_rows in rows.items():
            if kind_rows:
                write(landing(root, kind, ext=fmt), kind, kind_rows)
        db = root / "events.duckdb"
        results = run([root / "landing"], db)
        assert all(r.status == "ingested" for r in results.values()), results
        loaded[fmt] = Loaded(db, results, where)
    return loaded


def test_bulk_files_load_row_by_row(bulk):
    """A row that breaks the contract is quarantined; the rest of its file loads."""
    for fmt, loaded in bulk.items():
        for name, r in loaded.results.items():
            assert r.rows_added > 0 and r.rows_read == r.rows_added + r.rows_rejected, (fmt, r)
            assert len({row for file, row in loaded.quarantine if file == name}) == r.rows_rejected, (fmt, name)
            assert len({row for file, row in loaded.events if file == name}) == r.rows_added, (fmt, name)


# --- amounts -----------------------------------------------------------------------------------------

AMOUNTS = [  # (raw text, value) of realisasi.nilai, an amount that may be negative
    ("1205908800", D("1205908800")),
    ("1205908800.50", D("1205908800.50")),
    ("1205908800.5", D("1205908800.50")),
    ("1.205.908.800", D("1205908800")),
    ("1.205.908.800,50", D("1205908800.50")),
    ("Rp 1.205.908.800", D("1205908800")),
    ("Rp1.205.908.800", D("1205908800")),
    ("rp 1.205.908.800,50", D("1205908800.50")),
    ("150.000", D("150000")),
    ("1.500", D("1500")),
    ("150.00", D("150.00")),
    ("1205908800,50", D("1205908800.50")),
    ("-1.250.000", D("-1250000")),
    ("-Rp 1.250.000", D("-1250000")),
    ("Rp -1.250.000", D("-1250000")),
    ("-1205908800,50", D("-1205908800.50")),
    ("0", D("0")),
    ("  Rp 1.500  ", D("1500")),
]
AMOUNTS_REJECTED = ["63.129.00", "2.56.124.062", "12,3,4", "(1.250.000)", "1.205.908.800.50", "1.2050",
                    "1.205.908,800", "Rp", "satu juta", "1.250.000-", "--1.250.000", "-Rp -1.250.000"]
for _raw, _ in AMOUNTS:
    case(("amount", _raw), "realisasi", nilai=_raw)
for _raw in AMOUNTS_REJECTED:
    case(("amount", _raw), "realisasi", nilai=_raw)


@pytest.mark.parametrize("raw, value", AMOUNTS)
def test_amount_text_is_read(bulk, raw, value):
    assert bulk["csv"].value(("amount", raw), "nilai") == value


@pytest.mark.parametrize("raw", AMOUNTS_REJECTED)
def test_amount_text_that_fits_no_style_is_rejected_not_guessed(bulk, raw):
    bulk["csv"].assert_rejected(("amount", raw), "nilai", raw)


NON_NEGATIVE = [  # (kind, column, raw, value or REJECT): "amount ≥ 0" / "integer ≥ 0" reject a negative
    ("rat", "aset", "-1.205.908.800", REJECT),
    ("rat", "volume_usaha", "-Rp 350.000.000", REJECT),
    ("rat", "modal_sendiri", "Rp -1", REJECT),
    ("rat", "modal_luar", "-100.000.000", REJECT),
    ("rat", "jumlah_anggota", "-1", REJECT),
    ("rat", "jumlah_pengurus", "-5", REJECT),
    ("umkm", "modal_usaha", "-5.000.000", REJECT),
    ("umkm", "omzet_tahunan", "-60.000.000,50", REJECT),
    ("umkm", "tenaga_kerja", "-2", REJECT),
    ("anggaran", "pagu", "-1.205.908.800", REJECT),
    ("rat", "aset", "0", D("0")),
    ("rat", "jumlah_anggota", "0", 0),
    ("rat", "shu", "-12.500.000", D("-12500000")),  # surplus may be negative
    ("realisasi", "nilai", "-Rp 1.250.000", D("-1250000")),  # a contra payment
]
for _kind, _col, _raw, _ in NON_NEGATIVE:
    case(("sign", _kind, _col, _raw), _kind, **{_col: _raw})


@pytest.mark.parametrize("kind, column, raw, value", NON_NEGATIVE)
def test_sign_of_amounts_and_counts(bulk, kind, column, raw, value):
    if value is REJECT:
        bulk["csv"].assert_rejected(("sign", kind, column, raw), column, raw)
    else:
        assert bulk["csv"].value(("sign", kind, column, raw), column) == value


# --- integers and decimals ---------------------------------------------------------------------------

INTEGERS = [("1.250", 1250), ("1250", 1250), ("12.500.000", 12500000), ("0", 0), (" 7 ", 7),
            ("1,250", REJECT), ("12.5", REJECT), ("1.25", REJECT), ("1.2500", REJECT), ("sepuluh", REJECT)]
for _raw, _ in INTEGERS:
    case(("integer", _raw), "rat", jumlah_anggota=_raw)


@pytest.mark.parametrize("raw, value", INTEGERS)
def test_integer_text(bulk, raw, value):
    if value is REJECT:
        bulk["csv"].assert_rejected(("integer", raw), "jumlah_anggota", raw.strip())
    else:
        assert bulk["csv"].value(("integer", raw), "jumlah_anggota") == value


DECIMALS = [("83,05", D("83.05")), ("83.05", D("83.05")), ("80.125", D("80.125")), ("100", D("100")),
            ("0,5", D("0.5")), ("1.234,5", REJECT), ("83,0,5", REJECT), ("1.234.567", REJECT),
            ("delapan puluh", REJECT)]
for _raw, _ in DECIMALS:
    case(("decimal", _raw), "indikator", nilai=_raw)


@pytest.mark.parametrize("raw, value", DECIMALS)
def test_decimal_text_of_an_indicator_value(bulk, raw, value):
    """Not an amount: never a thousands separator, so 80.125 is eighty point one two five."""
    if value is REJECT:
        bulk["csv"].assert_rejected(("decimal", raw), "nilai", raw)
    else:
        assert bulk["csv"].value(("decimal", raw), "nilai") == value


# --- dates -------------------------------------------------------------------------------------------

DATES = [
    ("2025-03-05", date(2025, 3, 5)),
    ("05/03/2025", date(2025, 3, 5)),  # day first: 5 March
    ("05-03-2025", date(2025, 3, 5)),
    ("5/3/2025", date(2025, 3, 5)),
    ("12/03/2025", date(2025, 3, 12)),  # day first even when both could be a month
    ("12-03-2025", date(2025, 3, 12)),
    ("31/12/2025", date(2025, 12, 31)),
    ("29/02/2024", date(2024, 2, 29)),
    ("31/02/2025", REJECT),
    ("2025-02-30", REJECT),
    ("03/31/2025", REJECT),  # month first is not a date of this contract
    ("29-02-2025", REJECT),
    ("2025/03/05", REJECT),
    ("05/03/25", REJECT),
    ("20250305", REJECT),
    ("5 Maret 2025", REJECT),
]
for _raw, _ in DATES:
    case(("date", _raw), "pembinaan", tanggal=_raw)


@pytest.mark.parametrize("raw, value", DATES)
def test_date_text(bulk, raw, value):
    if value is REJECT:
        bulk["csv"].assert_rejected(("date", raw), "tanggal", raw)
    else:
        assert bulk["csv"].value(("date", raw), "tanggal") == value


# --- blank means missing -----------------------------------------------------------------------------

REQUIRED_CELLS = [(kind, column) for kind, columns in REQUIRED.items() for column in columns]
for _kind, _col in REQUIRED_CELLS:
    case(("blank", _kind, _col), _kind, **{_col: ""})
    case(("spaces", _kind, _col), _kind, **{_col: "   "})


@pytest.mark.parametrize("kind, column", REQUIRED_CELLS)
def test_a_blank_required_value_is_rejected_as_missing(bulk, kind, column):
    for how in ("blank", "spaces"):
        rejects = bulk["csv"].assert_rejected((how, kind, column), column, None)
        reason = next(r[4] for r in rejects if r[2] == column)
        assert "missing" in reason.lower(), reason


OPTIONAL_BLANK = [("rat", "tanggal_rat"), ("rat", "kelurahan"), ("rat", "shu"), ("rat", "modal_sendiri"),
                  ("rat", "modal_luar"), ("kegiatan", "kode_sub_kegiatan"), ("umkm", "no_hp"),
                  ("umkm", "alamat"), ("umkm", "modal_usaha"), ("umkm", "omzet_tahunan"),
                  ("umkm", "tenaga_kerja"), ("umkm", "tdu_pkl"), ("pembinaan", "kode_sub_kegiatan"),
                  ("realisasi", "uraian")]
for _kind, _col in OPTIONAL_BLANK:
    case(("optional", _kind, _col), _kind, **{_col: "  "})


@pytest.mark.parametrize("kind, column", OPTIONAL_BLANK)
def test_a_blank_optional_value_is_missing_not_an_error(bulk, kind, column):
    assert bulk["csv"].value(("optional", kind, column), column) is None


# --- identifiers -------------------------------------------------------------------------------------

IDENTIFIERS = [  # (kind, column, raw, value or REJECT)
    ("rat", "nik", "0012345678901234", "0012345678901234"),
    ("kegiatan", "nik", "0012345678901234", "0012345678901234"),
    ("umkm", "id_umkm", "000123", "000123"),
    ("umkm", "no_hp", "081234567788", "081234567788"),
    ("umkm", "nik_pemilik", "0175014506800001", "0175014506800001"),
    ("umkm", "nib", "0123456789012", "0123456789012"),
    ("realisasi", "no_sp2d", "00017/SP2D/LS/2025", "00017/SP2D/LS/2025"),
    ("realisasi", "kode_rekening", "5.1.02.01.01.0024", "5.1.02.01.01.0024"),
    ("anggaran", "kode_sub_kegiatan", "2.17.04.2.01.0001", "2.17.04.2.01.0001"),
    ("rat", "nik", "327501010101001", REJECT),  # 15 digits
    ("rat", "nik", "32750101010100011", REJECT),  # 17 digits
    ("rat", "nik", "3275-0101-0101-0001", REJECT),
    ("rat", "nik", "3.27501E+15", REJECT),
    ("kegiatan", "nik", "327501010101000", REJECT),
    ("umkm", "nik_pemilik", "32750145068000", REJECT),
    ("umkm", "nib", "123456789012", REJECT),  # 12 digits
    ("umkm", "nib", "12345678901234", REJECT),  # 14 digits
    ("umkm", "nib", "12345678901AB", REJECT),
    ("anggaran", "kode_sub_kegiatan", "2.17.1.2.2.1", REJECT),
    ("anggaran", "kode_sub_kegiatan", "217012020001", REJECT),
    ("kegiatan", "kode_sub_kegiatan", "2.17.03.2.01", REJECT),
    ("pembinaan", "kode_sub_kegiatan", "2-17-07-2-01-0001", REJECT),
]
for _kind, _col, _raw, _ in IDENTIFIERS:
    case(("id", _kind, _col, _raw), _kind, **{_col: _raw})


@pytest.mark.parametrize("kind, column, raw, value", IDENTIFIERS)
def test_identifiers_are_text(bulk, kind, column, raw, value):
    if value is REJECT:
        bulk["csv"].assert_rejected(("id", kind, column, raw), column, raw)
    else:
        assert bulk["csv"].value(("id", kind, column, raw), column) == value


# --- kecamatan ---------------------------------------------------------------------------------------

KECAMATAN = [
    ("Mustika Jaya", "Mustikajaya"), ("mustikajaya", "Mustikajaya"), ("RAWA LUMBU", "Rawalumbu"),
    ("Bantar Gebang", "Bantargebang"), ("bekasi  barat", "Bekasi Barat"), ("BEKASI SELATAN", "Bekasi Selatan"),
    ("BekasiTimur", "Bekasi Timur"), ("bekasi utara", "Bekasi Utara"), ("Jati Asih", "Jatiasih"),
    ("JATISAMPURNA", "Jatisampurna"), ("Medan Satria", "Medan Satria"), ("pondokgede", "Pondok Gede"),
    (" Pondok Melati ", "Pondok Melati"),
    ("Bekasi", REJECT), ("Cikarang Barat", REJECT), ("Tambun Selatan", REJECT), ("Pondok", REJECT),
    ("Kota Bekasi", REJECT),
]
for _raw, _ in KECAMATAN:
    case(("kecamatan", "rat", _raw), "rat", kecamatan=_raw)
    case(("kecamatan", "umkm", _raw), "umkm", kecamatan=_raw)


@pytest.mark.parametrize("kind", ["rat", "umkm"])
@pytest.mark.parametrize("raw, canonical", KECAMATAN)
def test_kecamatan_is_one_of_the_twelve(bulk, kind, raw, canonical):
    if canonical is REJECT:
        bulk["csv"].assert_rejected(("kecamatan", kind, raw), "kecamatan", raw)
    else:
        assert bulk["csv"].value(("kecamatan", kind, raw), "kecamatan") == canonical


# --- choices -----------------------------------------------------------------------------------------

CHOICES = [  # (kind, column, raw, value or REJECT); compared case-insensitively
    ("rat", "status_koperasi", "aktif", "Aktif"),
    ("rat", "status_koperasi", "TIDAK AKTIF", "Tidak Aktif"),
    ("rat", "status_koperasi", "Bubar", "Bubar"),
    ("rat", "status_koperasi", "Pasif", REJECT),
    ("rat", "jenis_koperasi", "simpan pinjam", "Simpan Pinjam"),
    ("rat", "jenis_koperasi", "PEMASARAN", "Pemasaran"),
    ("rat", "jenis_koperasi", "Produsen", "Produsen"),
    ("rat", "jenis_koperasi", "Serba Usaha", REJECT),
    ("kegiatan", "jenis", "nib_simpan_pinjam", "NIB_SIMPAN_PINJAM"),
    ("kegiatan", "jenis", "Audit", REJECT),
    ("pembinaan", "jenis", "pameran", "PAMERAN"),
    ("pembinaan", "jenis", "Fasilitasi_Legalitas", "FASILITASI_LEGALITAS"),
    ("pembinaan", "jenis", "bantuan_sarana", "BANTUAN_SARANA"),
    ("pembinaan", "jenis", "SEMINAR", REJECT),
    ("anggaran", "tahap", "murni", "MURNI"),
    ("anggaran", "tahap", "Pergeseran", "PERGESERAN"),
    ("anggaran", "tahap", "perubahan", "PERUBAHAN"),
    ("anggaran", "tahap", "APBD-P", REJECT),
    ("umkm", "informal_pkl", "ya", "Ya"),
    ("umkm", "informal_pkl", "TIDAK", "Tidak"),
    ("umkm", "informal_pkl", "Y", REJECT),
    ("umkm", "informal_pkl", "No", REJECT),
    ("umkm", "status_usaha", "tidak aktif", "Tidak Aktif"),
    ("umkm", "status_usaha", "Tutup", REJECT),
    ("indikator", "kode_indikator", "prg-01b", "PRG-01B"),
    ("indikator", "kode_indikator", "XYZ-99", REJECT),
    ("indikator", "triwulan", "4", 4),
    ("indikator", "triwulan", "5", REJECT),
    ("indikator", "triwulan", "0", REJECT),
    ("indikator", "tahun", "2.025", 2025),
] + [("indikator", "kode_indikator", code, code) for code in MANUAL_CODES] + [
    ("indikator", "kode_indikator", code, REJECT) for code in OTHER_CODES]  # not a manual indicator
for _kind, _col, _raw, _ in CHOICES:
    case(("choice", _kind, _col, _raw), _kind, **{_col: _raw})


@pytest.mark.parametrize("kind, column, raw, value", CHOICES)
def test_choices(bulk, kind, column, raw, value):
    if value is REJECT:
        bulk["csv"].assert_rejected(("choice", kind, column, raw), column, raw)
    else:
        assert bulk["csv"].value(("choice", kind, column, raw), column) == value


def test_the_manual_codes_come_from_the_catalogue():
    assert MANUAL_CODES == ["PRG-01B", "PRG-01C", "RPD-01"]


# --- conditional requirements ------------------------------------------------------------------------

KEGIATAN_RULES = [  # (jenis, hasil, jumlah_peserta, column rejected or None, stored (hasil, jumlah_peserta))
    ("PEMERIKSAAN", "PATUH", "", None, ("PATUH", None)),
    ("PEMERIKSAAN", "tidak patuh", "", None, ("TIDAK_PATUH", None)),
    ("PEMERIKSAAN", "", "", "hasil", None),
    ("PEMERIKSAAN", "SEHAT", "", "hasil", None),
    ("PEMERIKSAAN", "BAGUS", "", "hasil", None),
    ("PENILAIAN_KESEHATAN", "CUKUP_SEHAT", "", None, ("CUKUP_SEHAT", None)),
    ("PENILAIAN_KESEHATAN", "sehat", "", None, ("SEHAT", None)),
    ("PENILAIAN_KESEHATAN", "Dalam Pengawasan", "", None, ("DALAM_PENGAWASAN", None)),
    ("PENILAIAN_KESEHATAN", "dalam_pengawasan_khusus", "", None, ("DALAM_PENGAWASAN_KHUSUS", None)),
    ("PENILAIAN_KESEHATAN", "", "", "hasil", None),
    ("PENILAIAN_KESEHATAN", "PATUH", "", "hasil", None),
    ("PENILAIAN_KESEHATAN", "TIDAK_PATUH", "", "hasil", None),
    ("DIKLAT", "", "25", None, (None, 25)),
    ("DIKLAT", "", "1.250", None, (None, 1250)),
    ("DIKLAT", "", "", "jumlah_peserta", None),
    ("DIKLAT", "", "0", "jumlah_peserta", None),
    ("DIKLAT", "", "dua", "jumlah_peserta", None),
    ("NIB_SIMPAN_PINJAM", "", "", None, (None, None)),
]
for _i, (_jenis, _hasil, _peserta, _, _) in enumerate(KEGIATAN_RULES):
    case(("kegiatan", _i), "kegiatan", jenis=_jenis, hasil=_hasil, jumlah_peserta=_peserta)


@pytest.mark.parametrize("i, jenis, hasil, peserta, rejected, stored",
                         [(i, *c) for i, c in enumerate(KEGIATAN_RULES)])
def test_kegiatan_hasil_and_jumlah_peserta_by_jenis(bulk, i, jenis, hasil, peserta, rejected, stored):
    if rejected:
        bulk["csv"].assert_rejected(("kegiatan", i), rejected, {"hasil": hasil, "jumlah_peserta": peserta}
                                    [rejected] or None)
    else:
        event = bulk["csv"].event(("kegiatan", i))
        assert event is not None, bulk["csv"].rejects(("kegiatan", i))
        assert (event["jenis"], event["hasil"], event["jumlah_peserta"]) == (jenis, *stored)


UMKM_RULES = [  # (skb, tanggal_skb, nib, tanggal_nib, column rejected or None)
    ("", "", "", "", None),
    ("SKB/7/2025", "10/01/2025", "", "", None),
    ("SKB/7/2025", "", "", "", "tanggal_skb"),
    ("", "", "1234567890123", "01/02/2025", None),
    ("", "", "1234567890123", "", "tanggal_nib"),
    ("SKB/7/2025", "2025-01-10", "1234567890123", "2025-02-01", None),
    ("", "10/01/2025", "", "", None),  # a date without its number is not asked for, but kept
]
for _i, (_skb, _tskb, _nib, _tnib, _) in enumerate(UMKM_RULES):
    case(("umkm", _i), "umkm", skb=_skb, tanggal_skb=_tskb, nib=_nib, tanggal_nib=_tnib)


@pytest.mark.parametrize("i, skb, tanggal_skb, nib, tanggal_nib, rejected",
                         [(i, *c) for i, c in enumerate(UMKM_RULES)])
def test_umkm_dates_required_with_skb_and_nib(bulk, i, skb, tanggal_skb, nib, tanggal_nib, rejected):
    if rejected:
        bulk["csv"].assert_rejected(("umkm", i), rejected, None)
    else:
        event = bulk["csv"].event(("umkm", i))
        assert event is not None, bulk["csv"].rejects(("umkm", i))
        assert (event["skb"], event["nib"]) == (skb or None, nib or None)
        assert event["tanggal_skb"] == (date(2025, 1, 10) if tanggal_skb else None)
        assert event["tanggal_nib"] == (date(2025, 2, 1) if tanggal_nib else None)


# --- rat: when a RAT may be held; its valid date -------------------------------------------------------

RAT_DATES = [  # tahun_buku 2024: after 31 Dec 2024 and by 30 Jun 2026
    ("2024-12-31", REJECT),
    ("31/12/2024", REJECT),
    ("2024-06-30", REJECT),
    ("2025-01-01", date(2025, 1, 1)),
    ("01/01/2025", date(2025, 1, 1)),
    ("2025-03-05", date(2025, 3, 5)),
    ("2026-06-30", date(2026, 6, 30)),
    ("30-06-2026", date(2026, 6, 30)),
    ("2026-07-01", REJECT),
    ("", None),  # not held: the record is valid as of the end of its book year
]
for _raw, _ in RAT_DATES:
    case(("rat date", _raw), "rat", tahun_buku="2024", tanggal_rat=_raw)


@pytest.mark.parametrize("raw, held", RAT_DATES)
def test_rat_is_held_after_the_books_close(bulk, raw, held):
    if held is REJECT:
        bulk["csv"].assert_rejected(("rat date", raw), "tanggal_rat", raw)
    else:
        event = bulk["csv"].event(("rat date", raw))
        assert event is not None, bulk["csv"].rejects(("rat date", raw))
        assert event["tanggal_rat"] == held
        assert event["valid_date"] == (held or date(2024, 12, 31))


# --- realisasi: in its year, and paid from a budget already known ----------------------------------

REALISASI_RULES = [  # (tahun_anggaran, tanggal_sp2d, kode_sub_kegiatan, column rejected or None)
    ("2025", "2025-01-01", BUDGET_KODE, None),
    ("2025", "31/12/2025", BUDGET_KODE, None),
    ("2025", "31/12/2024", BUDGET_KODE, "tanggal_sp2d"),
    ("2025", "01-01-2026", BUDGET_KODE, "tanggal_sp2d"),
    ("2025", "2025-03-05", "2.17.09.2.01.0001", "kode_sub_kegiatan"),  # in no budget
    ("2026", "2026-03-05", BUDGET_KODE, "kode_sub_kegiatan"),  # budgeted in 2025 only
]
for _i, (_tahun, _tgl, _kode, _) in enumerate(REALISASI_RULES):
    case(("realisasi", _i), "realisasi", tahun_anggaran=_tahun, tanggal_sp2d=_tgl, kode_sub_kegiatan=_kode)


@pytest.mark.parametrize("i, tahun, tanggal, kode, rejected", [(i, *c) for i, c in enumerate(REALISASI_RULES)])
def test_realisasi_falls_in_its_year_and_in_a_known_budget(bulk, i, tahun, tanggal, kode, rejected):
    if rejected:
        bulk["csv"].assert_rejected(("realisasi", i), rejected, {"tanggal_sp2d": tanggal,
                                                                 "kode_sub_kegiatan": kode}[rejected])
    else:
        event = bulk["csv"].event(("realisasi", i))
        assert event is not None, bulk["csv"].rejects(("realisasi", i))
        assert (event["tahun_anggaran"], event["kode_sub_kegiatan"]) == (int(tahun), kode)
        assert event["tanggal_sp2d"].year == int(tahun)


PUBLIKASI_RULES = [  # (cells, column rejected or None): a printed line needs at least one figure
    (dict(pagu="", realisasi="", serapan=""), "nilai"),
    (dict(pagu="", realisasi="", serapan="", capaian="144.7"), None),
    (dict(pagu="", realisasi="", serapan="", nilai="13,98"), None),
    (dict(pagu="-70.262.000"), "pagu"),
    (dict(triwulan="5"), "triwulan"),
    (dict(realisasi="63.129.00"), "realisasi"),  # as Tabel 3.7 prints it: no amount, not guessed
]
for _i, (_cells, _) in enumerate(PUBLIKASI_RULES):
    case(("publikasi", _i), "publikasi", **_cells)


@pytest.mark.parametrize("i, cells, rejected", [(i, *c) for i, c in enumerate(PUBLIKASI_RULES)])
def test_a_printed_line_has_a_figure_and_figures_read_as_printed(bulk, i, cells, rejected):
    if rejected:
        bulk["csv"].assert_rejected(("publikasi", i), rejected, {**BASE["publikasi"], **cells}[rejected] or None)
    else:
        event = bulk["csv"].event(("publikasi", i))
        assert event is not None, bulk["csv"].rejects(("publikasi", i))
        assert {c: event[c] for c in cells} == {c: D(v.replace(",", ".")) if v else None for c, v in cells.items()}


# --- references to other files are not checked ------------------------------------------------------

case("orphan pembinaan", "pembinaan", id_umkm="U-TIDAK-ADA")
case("orphan kegiatan", "kegiatan", nik="3275999999999999")


def test_an_orphan_reference_is_loaded(bulk):
    assert bulk["csv"].value("orphan pembinaan", "id_umkm") == "U-TIDAK-ADA"
    assert bulk["csv"].value("orphan kegiatan", "nik") == "3275999999999999"


# --- spreadsheet cells -------------------------------------------------------------------------------

SHEET_CELLS = [  # (kind, column, cell, value or REJECT) in XLSX and ODS
    ("realisasi", "nilai", 1205908800, D("1205908800")),
    ("realisasi", "nilai", 1205908800.5, D("1205908800.50")),
    ("realisasi", "nilai", 1205908800.25, D("1205908800.25")),
    ("realisasi", "nilai", -1250000, D("-1250000")),
    ("realisasi", "nilai", 150.123, REJECT),  # a fraction of a sen is no amount; never 150123
    ("realisasi", "nilai", "1.205.908.800,50", D("1205908800.50")),  # a text cell is parsed like CSV
    ("realisasi", "nilai", "Rp 150.000", D("150000")),
    ("anggaran", "pagu", 70262000, D("70262000")),
    ("rat", "aset", 1500000000.75, D("1500000000.75")),
    ("rat", "jumlah_anggota", 1250, 1250),
    ("rat", "jumlah_anggota", 12.5, REJECT),
    ("rat", "tahun_buku", 2024, 2024),
    ("rat", "nik", 3275010101019999, "3275010101019999"),  # numeric cell: its digits
    ("umkm", "nik_pemilik", 3275014506800002, "3275014506800002"),
    ("umkm", "nib", 1234567890123, "1234567890123"),
    ("umkm", "nib", 123456789012, REJECT),
    ("umkm", "tenaga_kerja", 3, 3),
    ("indikator", "nilai", 83.05, D("83.05")),
    ("indikator", "nilai", 80.125, D("80.125")),
    ("indikator", "nilai", 100, D("100")),
    ("indikator", "triwulan", 3, 3),
    ("pembinaan", "tanggal", date(2025, 3, 5), date(2025, 3, 5)),
    ("pembinaan", "tanggal", datetime(2025, 3, 5), date(2025, 3, 5)),
    ("pembinaan", "tanggal", "05/03/2025", date(2025, 3, 5)),
    ("rat", "tanggal_rat", date(2025, 1, 1), date(2025, 1, 1)),
    ("rat", "tanggal_rat", date(2024, 12, 31), REJECT),
]
for _fmt in ("xlsx", "ods"):
    for _kind, _col, _cell, _ in SHEET_CELLS:
        case(("cell", _kind, _col, repr(_cell)), _kind, _fmt, **{_col: _cell})


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@pytest.mark.parametrize("kind, column, cell, value", SHEET_CELLS)
def test_spreadsheet_cells(bulk, fmt, kind, column, cell, value):
    case_id = ("cell", kind, column, repr(cell))
    if value is REJECT:
        rejects = bulk[fmt].rejects(case_id)
        assert bulk[fmt].event(case_id) is None
        assert [r[2] for r in rejects] == [column], rejects
        assert_reasons(rejects)
    else:
        assert bulk[fmt].value(case_id, column) == value


# ---------------------------------------------------------------------------------------------------
# whole files: names, sources, headers, formats


BAD_NAMES = ["rat-20250331.csv", "rat_2025.csv", "rat_20250231.csv", "koperasi_20250331.csv",
             "rat_20250331.txt", "rat_20250331.xls", "rat.csv", "20250331_rat.csv"]


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory) -> tuple[Path, dict[str, FileResult]]:
    """One landing folder: files whose names do not parse, kinds in the wrong source folder, good files."""
    root = tmp_path_factory.mktemp("names")
    good = rows_of("rat", {})
    spare = write(root / "spare.csv", "rat", good)
    for name in BAD_NAMES:  # a well-formed RAT export, badly named
        (root / "landing" / "ods").mkdir(parents=True, exist_ok=True)
        shutil.copy(spare, root / "landing" / "ods" / name)
    write(root / "landing" / "sip3" / "rat_20250401.csv", "rat", good)  # a kind in another source's folder
    write(root / "landing" / "ledger" / "indikator_20250401.csv", "indikator", rows_of("indikator", {}))
    write(root / "landing" / "ods" / "rat_20250331.csv", "rat", good)
    write(root / "landing" / "ods" / "kegiatan_20250630_revisi kedua.csv", "kegiatan", rows_of("kegiatan", {}))
    write(root / "landing" / "ods" / "RAT_20250401_Ulang.CSV", "rat", rows_of("rat", {"aset": "1"}))
    db = root / "events.duckdb"
    return db, run([root / "landing"], db)


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_file_name_that_does_not_parse_is_refused_naming_the_file(odd_names, name):
    db, results = odd_names
    assert counts(results[name]) == ("refused", 0, 0, 0, 0)
    assert results[name].reason
    assert query(db, "select status, reason is not null from ingest.batches where file_name = ?", [name]) == [
        ("refused", True)]
    assert events(db, "rat", "source_file = ?", [name]) == []


@pytest.mark.parametrize("name, kind, source", [("rat_20250401.csv", "rat", "ods"),
                                                ("indikator_20250401.csv", "indikator", "manual")])
def test_a_kind_in_another_sources_folder_is_refused(odd_names, name, kind, source):
    db, results = odd_names
    assert counts(results[name]) == ("refused", 0, 0, 0, 0)
    assert kind in results[name].reason and source in results[name].reason
    assert events(db, kind, "source_file = ?", [name]) == []


def test_the_other_files_of_the_folder_still_load_with_their_extraction_date(odd_names):
    db, results = odd_names
    assert counts(results["rat_20250331.csv"]) == ("ingested", 1, 1, 0, 0)
    assert counts(results["kegiatan_20250630_revisi kedua.csv"]) == ("ingested", 1, 1, 0, 0)
    assert counts(results["RAT_20250401_Ulang.CSV"]) == ("ingested", 1, 1, 0, 0)
    assert [(e["source_file"], e["extracted_on"], e["aset"]) for e in events(db, "rat")] == [
        ("rat_20250331.csv", date(2025, 3, 31), D("1205908800")),
        ("RAT_20250401_Ulang.CSV", date(2025, 4, 1), D("1"))]
    assert [(e["extracted_on"], e["source"], e["kind"]) for e in events(db, "kegiatan")] == [
        (date(2025, 6, 30), "ods", "kegiatan")]


def test_the_source_may_be_given_instead_of_the_folder(tmp_path):
    path = write(tmp_path / "unduhan" / "rat_20250331.csv", "rat", rows_of("rat", {}))
    db = tmp_path / "events.duckdb"
    assert counts(run([path], db, source="sip3")[path.name])[0] == "refused"
    assert counts(run([path], db, source="ods")[path.name]) == ("ingested", 1, 1, 0, 0)
    assert [(e["source"], e["nik"]) for e in events(db, "rat")] == [("ods", "3275010101010001")]


def test_cli_names_a_refused_file_and_exits_non_zero_after_loading_the_others(home, tmp_path, kumkm):
    write(tmp_path / "landing" / "ods" / "rat_20250331.csv", "rat", rows_of("rat", {}, {"kecamatan": "Cikarang"}))
    write(tmp_path / "landing" / "ods" / "rat 31 maret.csv", "rat", rows_of("rat", {}))
    no_jenis = [c for c in BASE["kegiatan"] if c != "jenis"]
    write_csv(tmp_path / "landing" / "ods" / "kegiatan_20250331.csv", no_jenis, [[BASE["kegiatan"][c] for c in no_jenis]])
    result = kumkm("ingest", tmp_path / "landing")
    assert result.exit_code != 0
    assert "rat 31 maret.csv" in result.output and "kegiatan_20250331.csv" in result.output
    assert "jenis" in result.output
    assert [(e["nik"], e["kecamatan"]) for e in events(home / "events.duckdb", "rat")] == [
        ("3275010101010001", "Bekasi Barat")]
    # rejected rows alone are no failure
    write(tmp_path / "other" / "ods" / "rat_20250401.csv", "rat", rows_of("rat", {"kecamatan": "Cikarang"}))
    assert kumkm("ingest", tmp_path / "other").exit_code == 0


# --- headers -----------------------------------------------------------------------------------------

HEADER_VARIANTS = ["  Tahun Anggaran ", "NO-SP2D", "Tanggal SP2D", "KODE_SUB_KEGIATAN", "kode-rekening",
                   "Uraian", " NILAI", "Catatan Petugas", "sumber-dana"]


@pytest.mark.parametrize("ext", ["csv", "xlsx", "ods"])
def test_headers_are_matched_loosely_and_extra_columns_are_kept(tmp_path, ext):
    write(landing(tmp_path, "anggaran", "20250101"), "anggaran", rows_of("anggaran", {}))
    rows = [["2025", "SP2D-0001", "05/03/2025", BUDGET_KODE, "5.1.02.01.01.0024", "ATK", "Rp 1.250.000",
             "lunas", "APBD"],
            ["2025", "SP2D-0002", "06/03/2025", BUDGET_KODE, "5.1.02.01.01.0024", "", "2.500.000", "", ""]]
    path = landing(tmp_path, "realisasi", ext=ext)
    if ext == "csv":
        write_csv(path, HEADER_VARIANTS, rows)
    else:
        write_sheet(path, HEADER_VARIANTS, [[v or None for v in r] for r in rows], "realisasi")
    db = tmp_path / "events.duckdb"
    assert counts(run([tmp_path / "landing"], db)[path.name]) == ("ingested", 2, 2, 0, 0)
    got = events(db, "realisasi")
    assert [(e["tahun_anggaran"], e["no_sp2d"], e["tanggal_sp2d"], e["kode_sub_kegiatan"], e["kode_rekening"],
             e["uraian"], e["nilai"]) for e in got] == [
        (2025, "SP2D-0001", date(2025, 3, 5), BUDGET_KODE, "5.1.02.01.01.0024", "ATK", D("1250000")),
        (2025, "SP2D-0002", date(2025, 3, 6), BUDGET_KODE, "5.1.02.01.01.0024", None, D("2500000"))]
    assert json.loads(got[0]["extra"]) == {"catatan_petugas": "lunas", "sumber_dana": "APBD"}
    assert json.loads(got[1]["extra"] or "{}") == {}


REQUIRED_COLUMNS = [(kind, column) for kind, columns in REQUIRED.items() for column in columns]


@pytest.fixture(scope="module")
def dropped(tmp_path_factory) -> tuple[Path, dict[str, FileResult]]:
    """A folder with, per required column, a file lacking it; and per kind a file of only the required
    columns."""
    root = tmp_path_factory.mktemp("columns")
    for kind, column in REQUIRED_COLUMNS:
        path = root / "landing" / SOURCE[kind] / f"{kind}_20250331_tanpa_{column}.csv"
        header = [h for h in BASE[kind] if h != column]
        write_csv(path, header, [[BASE[kind][h] for h in header]])
    minimal = {"kegiatan": {"jenis": "NIB_SIMPAN_PINJAM"}}
    for kind, columns in REQUIRED.items():
        row = {**BASE[kind], **minimal.get(kind, {})}
        write_csv(root / "landing" / SOURCE[kind] / f"{kind}_20250401_wajib.csv", columns,
                  [[row[c] for c in columns]])
    # the budget the realisasi rows are paid from, in a version other than the files' MURNI
    write(root / "landing" / "ledger" / "anggaran_20250101.csv", "anggaran", rows_of("anggaran", {"tahap": "PERGESERAN"}))
    db = root / "events.duckdb"
    return db, run([root / "landing"], db)


@pytest.mark.parametrize("kind, column", REQUIRED_COLUMNS)
def test_a_missing_required_column_refuses_the_file_naming_the_column(dropped, kind, column):
    db, results = dropped
    name = f"{kind}_20250331_tanpa_{column}.csv"
    assert counts(results[name]) == ("refused", 0, 0, 0, 0)
    assert re.search(rf"\b{column}\b", results[name].reason), results[name].reason
    assert events(db, kind, "source_file = ?", [name]) == []
    assert quarantined(db, name) == []


@pytest.mark.parametrize("kind", list(REQUIRED))
def test_a_file_of_only_the_required_columns_loads(dropped, kind):
    db, results = dropped
    name = f"{kind}_20250401_wajib.csv"
    if kind == "publikasi":  # a printed line needs one figure, whichever it is: none of them is required
        assert [r[2:] for r in quarantined(db, name)] == [
            ("nilai", None, "no printed figure: give nilai, capaian, pagu, realisasi or serapan")]
        return
    assert counts(results[name]) == ("ingested", 1, 1, 0, 0), quarantined(db, name)
    (event,) = events(db, kind, "source_file = ?", [name])
    optional = [c for c in BASE[kind] if c not in REQUIRED[kind]]
    assert {c: event[c] for c in optional} == dict.fromkeys(optional)


# --- formats -----------------------------------------------------------------------------------------

CSV_DIALECTS = [  # (delimiter, bom, newline)
    (",", False, "\n"), (";", False, "\n"), (",", True, "\n"), (",", False, "\r\n"), (";", True, "\r\n")]


@pytest.mark.parametrize("delimiter, bom, newline", CSV_DIALECTS)
def test_csv_dialects(tmp_path, delimiter, bom, newline):
    path = write(landing(tmp_path, "rat"), "rat", rows_of(
        "rat", {"nama_koperasi": "Koperasi Maju; Jaya, Sejahtera", "aset": "1.205.908.800,50",
                "tanggal_rat": "05/03/2025"},
        {"nik": "3275010101010002", "kecamatan": "Cikarang"}), delimiter=delimiter, bom=bom, newline=newline)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom and (b"\r\n" in raw) == (newline == "\r\n")
    db = tmp_path / "events.duckdb"
    assert counts(run([path], db)[path.name]) == ("ingested", 2, 1, 0, 1)
    (event,) = events(db, "rat")
    assert (event["nik"], event["nama_koperasi"], event["aset"], event["tanggal_rat"], event["row_number"]) == (
        "3275010101010001", "Koperasi Maju; Jaya, Sejahtera", D("1205908800.50"), date(2025, 3, 5), 2)
    assert where_cols(quarantined(db)) == [(path.name, 3, "kecamatan", "Cikarang")]


def test_csv_row_numbers_count_blank_lines_like_a_spreadsheet(tmp_path):
    header = list(BASE["rat"])
    good = ",".join(str(BASE["rat"][h]) for h in header)
    bad = good.replace("Bekasi Barat", "Cikarang").replace("3275010101010001", "3275010101010002")
    path = landing(tmp_path, "rat")
    path.parent.mkdir(parents=True)
    path.write_text(",".join(header) + "\n" + good + "\n\n" + bad + "\n")
    db = tmp_path / "events.duckdb"
    assert counts(run([path], db)[path.name]) == ("ingested", 2, 1, 0, 1)
    assert where_cols(quarantined(db)) == [(path.name, 4, "kecamatan", "Cikarang")]


@pytest.mark.parametrize("ext", ["xlsx", "ods"])
def test_the_sheet_named_after_the_kind_is_read_else_the_first(tmp_path, ext):
    header = list(BASE["rat"])

    def row(nik: str, **cells) -> list:
        return [{**BASE["rat"], "nik": nik, **cells}.get(h) for h in header]

    write_book(landing(tmp_path, "rat", tail="_a", ext=ext), {
        "Petunjuk": (["catatan"], [["isi satu baris per koperasi"]]),
        "RAT": (header, [row("3275000000000001", aset=1205908800)]),
        "Lain": (header, [row("3275000000000009")]),
    })
    write_book(landing(tmp_path, "rat", tail="_b", ext=ext), {
        "Data": (header, [row("3275000000000002", kecamatan="RAWA LUMBU")]),
        "Rekap": (header, [row("3275000000000008")]),
    })
    db = tmp_path / "events.duckdb"
    results = run([tmp_path / "landing"], db)
    assert [counts(r) for r in results.values()] == [("ingested", 1, 1, 0, 0)] * 2
    assert [(e["source_file"], e["nik"], e["kecamatan"], e["aset"]) for e in events(db, "rat")] == [
        (f"rat_20250331_a.{ext}", "3275000000000001", "Bekasi Barat", D("1205908800")),
        (f"rat_20250331_b.{ext}", "3275000000000002", "Rawalumbu", D("1205908800"))]


@pytest.mark.parametrize("ext", ["xlsx", "ods"])
def test_the_same_record_as_csv_text_then_as_spreadsheet_cells_is_already_known(tmp_path, ext):
    text = {"nik": "3275010101010001", "tahun_buku": "2024", "tanggal_rat": "05/03/2025",
            "jumlah_anggota": "1.250", "aset": "1.205.908.800", "volume_usaha": "Rp 350.000.000,50",
            "shu": "-12.500.000", "kecamatan": "MUSTIKA JAYA", "status_koperasi": "aktif"}
    cells = {"nik": 3275010101010001, "tahun_buku": 2024, "tanggal_rat": date(2025, 3, 5),
             "jumlah_anggota": 1250, "aset": 1205908800, "volume_usaha": 350000000.5,
             "shu": -12500000, "kecamatan": "Mustikajaya", "status_koperasi": "Aktif"}
    first = write(landing(tmp_path, "rat"), "rat", rows_of("rat", text))
    later = write(landing(tmp_path, "rat", "20250630", ext), "rat", rows_of("rat", cells))
    db = tmp_path / "events.duckdb"
    results = run([first, later], db)
    assert counts(results[first.name]) == ("ingested", 1, 1, 0, 0)
    assert counts(results[later.name]) == ("ingested", 1, 0, 1, 0)
    (event,) = events(db, "rat")
    assert (event["source_file"], event["tanggal_rat"], event["aset"], event["volume_usaha"]) == (
        first.name, date(2025, 3, 5), D("1205908800"), D("350000000.50"))


# ---------------------------------------------------------------------------------------------------
# record keys, deliveries and history


def test_a_record_key_twice_in_one_file(tmp_path):
    write(landing(tmp_path, "anggaran", "20250101"), "anggaran", rows_of("anggaran", {}))
    path = write(landing(tmp_path, "realisasi"), "realisasi", rows_of(
        "realisasi",
        {"no_sp2d": "SP2D-1", "nilai": "100.000"},
        {"no_sp2d": "SP2D-1", "nilai": "200.000"},  # same key, other value: neither is taken
        {"no_sp2d": "SP2D-2", "nilai": "300.000"},
        {"no_sp2d": "SP2D-2", "nilai": "Rp 300.000"},  # same parsed values: one event
        {"no_sp2d": "SP2D-3", "nilai": "400.000"},
    ))
    db = tmp_path / "events.duckdb"
    assert counts(run([tmp_path / "landing"], db)[path.name]) == ("ingested", 5, 2, 1, 2)
    assert [(e["no_sp2d"], e["nilai"], e["row_number"]) for e in events(db, "realisasi")] == [
        ("SP2D-2", D("300000"), 4), ("SP2D-3", D("400000"), 6)]
    rejects = quarantined(db, path.name)
    assert [(r[1], r[2], r[3]) for r in rejects] == [(2, "no_sp2d", "SP2D-1"), (3, "no_sp2d", "SP2D-1")]
    assert_reasons(rejects)


def test_a_composite_record_key_is_the_whole_key(tmp_path):
    path = write(landing(tmp_path, "rat"), "rat", rows_of(
        "rat", {"tahun_buku": "2023", "tanggal_rat": "2024-03-01"}, {"tahun_buku": "2024"},
        {"tahun_buku": "2.024", "aset": "1205908800"}))  # the same key and values as the row above
    db = tmp_path / "events.duckdb"
    assert counts(run([path], db)[path.name]) == ("ingested", 3, 2, 1, 0)
    assert [(e["nik"], e["tahun_buku"], e["valid_date"]) for e in events(db, "rat")] == [
        ("3275010101010001", 2023, date(2024, 3, 1)), ("3275010101010001", 2024, date(2025, 3, 5))]


def test_the_same_file_delivered_twice_is_ingested_once(tmp_path):
    first = write(landing(tmp_path, "rat"), "rat", rows_of("rat", {}, {"nik": "3275010101010002"}))
    copy = landing(tmp_path, "rat", "20250401")
    shutil.copy(first, copy)
    db = tmp_path / "events.duckdb"
    results = run([tmp_path / "landing"], db)
    assert counts(results[first.name]) == ("ingested", 2, 2, 0, 0)
    assert counts(results[copy.name]) == ("already_ingested", 0, 0, 0, 0)
    again = run([tmp_path / "landing"], db)
    assert [counts(r) for r in again.values()] == [("already_ingested", 0, 0, 0, 0)] * 2
    assert [e["source_file"] for e in events(db, "rat")] == [first.name] * 2


def test_a_changed_record_is_a_new_version_and_every_version_stays(tmp_path):
    march = write(landing(tmp_path, "rat"), "rat", rows_of(
        "rat", {"aset": "100.000"}, {"nik": "3275010101010002", "aset": "200.000"}))
    june = write(landing(tmp_path, "rat", "20250630"), "rat", rows_of(
        "rat", {"aset": "150.000"}, {"nik": "3275010101010002", "aset": "200.000,00"}))
    db = tmp_path / "events.duckdb"
    results = run([tmp_path / "landing"], db)
    assert counts(results[march.name]) == ("ingested", 2, 2, 0, 0)
    assert counts(results[june.name]) == ("ingested", 2, 1, 1, 0)
    assert [(e["nik"], e["extracted_on"], e["aset"]) for e in events(db, "rat")] == [
        ("3275010101010001", date(2025, 3, 31), D("100000")),
        ("3275010101010002", date(2025, 3, 31), D("200000")),
        ("3275010101010001", date(2025, 6, 30), D("150000"))]


def test_extra_columns_count_when_comparing_a_record(tmp_path):
    header = list(BASE["indikator"])
    march = write_csv(landing(tmp_path, "indikator"), header + ["catatan"],
                      [[*BASE["indikator"].values(), "sementara"]])
    june = write_csv(landing(tmp_path, "indikator", "20250630"), header + ["catatan"],
                     [[*BASE["indikator"].values(), "final"]])
    july = write_csv(landing(tmp_path, "indikator", "20250731"), header + ["Catatan"],
                     [[*BASE["indikator"].values(), "final"]])
    db = tmp_path / "events.duckdb"
    results = run([tmp_path / "landing"], db)
    assert [counts(results[p.name]) for p in (march, june, july)] == [
        ("ingested", 1, 1, 0, 0), ("ingested", 1, 1, 0, 0), ("ingested", 1, 0, 1, 0)]
    assert [json.loads(e["extra"]) for e in events(db, "indikator")] == [{"catatan": "sementara"},
                                                                         {"catatan": "final"}]


def test_a_redelivered_budget_version_gives_pagu_0_to_a_sub_activity_it_omits(tmp_path):
    other = "2.17.04.2.01.0001"
    write(landing(tmp_path, "anggaran", "20250102"), "anggaran", rows_of(
        "anggaran", {"pagu": "100.000.000"}, {"kode_sub_kegiatan": other, "pagu": "70.262.000"}))
    again = write(landing(tmp_path, "anggaran", "20250215"), "anggaran", rows_of(
        "anggaran", {"pagu": "100.000.000", "tanggal_penetapan": "2025-02-14"}))
    db = tmp_path / "events.duckdb"
    result = run([tmp_path / "landing"], db)[again.name]
    assert counts(result) == ("ingested", 1, 1, 0, 0) and result.events_omitted == 1
    assert [(e["kode_sub_kegiatan"], e["extracted_on"], e["pagu"]) for e in events(
        db, "anggaran", "extracted_on = ?", [date(2025, 2, 15)])] == [
        (BUDGET_KODE, date(2025, 2, 15), D("100000000")), (other, date(2025, 2, 15), D("0"))]


@pytest.mark.parametrize("budget_stamp, accepted", [("20250101", True), ("20250331", True), ("20250401", False)])
def test_a_payment_needs_a_budget_extracted_on_or_before_it(tmp_path, budget_stamp, accepted):
    """The folder is ingested by extraction date, then file name: anggaran_ before realisasi_ on a tie."""
    budget = write(landing(tmp_path, "anggaran", budget_stamp), "anggaran", rows_of("anggaran", {}))
    payment = write(landing(tmp_path, "realisasi"), "realisasi", rows_of("realisasi", {}))
    db = tmp_path / "events.duckdb"
    results = run([tmp_path / "landing"], db)
    if accepted:
        assert counts(results[payment.name]) == ("ingested", 1, 1, 0, 0)
        assert [e["no_sp2d"] for e in events(db, "realisasi")] == ["SP2D-0001"]
    else:
        assert counts(results[payment.name]) == ("ingested", 1, 0, 0, 1)
        assert events(db, "realisasi") == []
        assert where_cols(quarantined(db, payment.name)) == [(payment.name, 2, "kode_sub_kegiatan", BUDGET_KODE)]
    order = [budget.name, payment.name] if accepted else [payment.name, budget.name]
    assert [r[0] for r in query(db, "select file_name from ingest.batches order by batch_id")] == order


def test_a_folder_is_ingested_by_extraction_date_then_file_name(tmp_path):
    names = ["realisasi_20250331.csv", "anggaran_20250331_revisi.csv", "anggaran_20250101.csv",
             "realisasi_20250101_z.csv", "realisasi_20250101_a.csv"]
    for i, name in enumerate(names):
        kind = name.split("_")[0]
        write(tmp_path / "landing" / "ledger" / name, kind, rows_of(kind, UNIQUE[kind](i + 1)))
    db = tmp_path / "events.duckdb"
    run([tmp_path / "landing"], db)
    assert [r[0] for r in query(db, "select file_name from ingest.batches order by batch_id")] == [
        "anggaran_20250101.csv", "realisasi_20250101_a.csv", "realisasi_20250101_z.csv",
        "anggaran_20250331_revisi.csv", "realisasi_20250331.csv"]


def test_reread_after_the_budget_arrives_accepts_the_payment_and_keeps_the_latest_quarantine(tmp_path):
    late = "2.17.04.2.01.0001"
    write(landing(tmp_path, "anggaran", "20250101"), "anggaran", rows_of("anggaran", {}))
    payment = write(landing(tmp_path, "realisasi"), "realisasi", rows_of(
        "realisasi",
        {"no_sp2d": "SP2D-1"},
        {"no_sp2d": "SP2D-2", "kode_sub_kegiatan": late},  # its budget comes in a later extract
        {"no_sp2d": "SP2D-3", "tanggal_sp2d": "31/02/2025"},
    ))
    db = tmp_path / "events.duckdb"
    assert counts(run([tmp_path / "landing"], db)[payment.name]) == ("ingested", 3, 1, 0, 2)
    assert where_cols(quarantined(db, payment.name)) == [
        (payment.name, 3, "kode_sub_kegiatan", late), (payment.name, 4, "tanggal_sp2d", "31/02/2025")]

    budget = write(landing(tmp_path, "anggaran", "20250401"), "anggaran", rows_of(
        "anggaran", {}, {"kode_sub_kegiatan": late, "pagu": "70.262.000"}))
    results = run([tmp_path / "landing"], db)
    assert counts(results[payment.name]) == ("already_ingested", 0, 0, 0, 0)
    assert counts(results[budget.name]) == ("ingested", 2, 1, 1, 0)
    assert [e["no_sp2d"] for e in events(db, "realisasi")] == ["SP2D-1"]  # not read again by itself

    results = run([tmp_path / "landing"], db, reread=True)
    assert counts(results[payment.name]) == ("ingested", 3, 1, 1, 1)
    assert [(e["no_sp2d"], e["kode_sub_kegiatan"]) for e in events(db, "realisasi")] == [
        ("SP2D-1", BUDGET_KODE), ("SP2D-2", late)]
    assert where_cols(quarantined(db, payment.name)) == [(payment.name, 4, "tanggal_sp2d", "31/02/2025")]


def test_counts_of_a_file_add_up(tmp_path):
    first = write(landing(tmp_path, "pembinaan"), "pembinaan", rows_of(
        "pembinaan", {"id_pembinaan": "P-1"}, {"id_pembinaan": "P-2"}))
    later = write(landing(tmp_path, "pembinaan", "20250630"), "pembinaan", rows_of(
        "pembinaan",
        {"id_pembinaan": "P-1"},  # known
        {"id_pembinaan": "P-2", "jenis": "PAMERAN"},  # correction
        {"id_pembinaan": "P-3", "tanggal": "2025-02-30"},  # rejected
        {"id_pembinaan": "P-4"}, {"id_pembinaan": "P-4", "tanggal": "05/03/2025"},  # once, then known
        {"id_pembinaan": "P-5", "jenis": "PELATIHAN"}, {"id_pembinaan": "P-5", "jenis": "KEMITRAAN"},  # both out
    ))
    with later.open("a") as f:
        f.write(",,,,\n")  # a wholly blank row is no row
    db = tmp_path / "events.duckdb"
    results = run([first, later], db)
    assert counts(results[later.name]) == ("ingested", 7, 2, 2, 3)
    assert [(e["id_pembinaan"], e["jenis"]) for e in events(db, "pembinaan", "source_file = ?", [later.name])] == [
        ("P-2", "PAMERAN"), ("P-4", "PELATIHAN")]
    assert sorted({(r[1], r[2]) for r in quarantined(db, later.name)}) == [
        (4, "tanggal"), (7, "id_pembinaan"), (8, "id_pembinaan")]


def test_personal_data_is_kept_in_the_event_store_and_masked_when_printed(home, tmp_path, kumkm):
    write(tmp_path / "landing" / "sip3" / "umkm_20250331.csv", "umkm", rows_of(
        "umkm", {}, {"id_umkm": "U-0002", "nik_pemilik": "327501450680000"}))
    result = kumkm("ingest", tmp_path / "landing")
    assert result.exit_code == 0, result.output
    (event,) = events(home / "events.duckdb", "umkm")
    assert (event["nama_pemilik"], event["nik_pemilik"], event["no_hp"], event["alamat"]) == (
        "Siti Aminah", "3275014506800001", "081234567788", "Jl. Mawar No. 1")
    assert "327501450680000" not in result.output
    rejects = json.loads(kumkm("rejects", "--format", "json").output)
    assert [(r["row_number"], r["column_name"]) for r in rejects] == [(3, "nik_pemilik")]
    assert rejects[0]["raw_value"] != "327501450680000" and rejects[0]["raw_value"].startswith("3275")


# ---------------------------------------------------------------------------------------------------
# cases that were bugs once


def test_an_absurd_book_year_is_rejected_not_a_crash(tmp_path):
    bad = write(landing(tmp_path, "rat"), "rat", rows_of(
        "rat", {}, {"nik": "3275010101010002", "tahun_buku": "20242024"}))
    later = write(landing(tmp_path, "rat", "20250630"), "rat", rows_of("rat", {"nik": "3275010101010003"}))
    db = tmp_path / "events.duckdb"
    results = run([tmp_path / "landing"], db)
    assert counts(results[bad.name]) == ("ingested", 2, 1, 0, 1)
    assert counts(results[later.name]) == ("ingested", 1, 1, 0, 0)
    assert (bad.name, 3, "tahun_buku", "20242024") in where_cols(quarantined(db))


def test_an_absurd_indicator_year_is_rejected_not_a_crash(tmp_path):
    path = write(landing(tmp_path, "indikator"), "indikator", rows_of(
        "indikator", {}, {"kode_indikator": "PRG-01B", "tahun": "20252025"}))
    db = tmp_path / "events.duckdb"
    assert counts(run([path], db)[path.name]) == ("ingested", 2, 1, 0, 1)
    assert (path.name, 3, "tahun", "20252025") in where_cols(quarantined(db))


def test_an_ods_numeric_cell_of_sixteen_digits_is_read_as_its_exact_digits(tmp_path):
    path = write(landing(tmp_path, "umkm", ext="ods"), "umkm", rows_of("umkm", {"nik_pemilik": 9171234567890123}))
    db = tmp_path / "events.duckdb"
    run([path], db)
    assert [e["nik_pemilik"] for e in events(db, "umkm")] == ["9171234567890123"]


@pytest.mark.parametrize("ext", ["xlsx", "ods"])
def test_a_spreadsheet_amount_with_binary_float_noise_is_read(tmp_path, ext):
    assert 350000 * 1.1 == 385000.00000000006  # what a spreadsheet stores for =350000*1.1
    write(landing(tmp_path, "anggaran", "20250101"), "anggaran", rows_of("anggaran", {}))
    path = write(landing(tmp_path, "realisasi", ext=ext), "realisasi", rows_of("realisasi", {"nilai": 350000 * 1.1}))
    db = tmp_path / "events.duckdb"
    assert counts(run([tmp_path / "landing"], db)[path.name]) == ("ingested", 1, 1, 0, 0), quarantined(db)
    assert [e["nilai"] for e in events(db, "realisasi")] == [D("385000.00")]


def test_a_short_csv_row_is_read_the_same_with_or_without_a_blank_line(tmp_path):
    header = ",".join(BASE["indikator"])
    short = "PRG-01B,2025,1,83"  # sumber left out
    full = "RPD-01,2025,2,84,Inspektorat"
    with_blank = landing(tmp_path, "indikator", "20250401")
    without = landing(tmp_path, "indikator", "20250331")
    with_blank.parent.mkdir(parents=True)
    with_blank.write_text(f"{header}\n{short}\n\n{full}\n")
    without.write_text(f"{header}\n{short}\n{full}\n")
    db = tmp_path / "events.duckdb"
    results = run([with_blank, without], db)
    assert counts(results[without.name]) == ("ingested", 2, 1, 0, 1)
    assert counts(results[with_blank.name]) == ("ingested", 2, 0, 1, 1)
    assert where_cols(quarantined(db, without.name)) == [(without.name, 2, "sumber", None)]


def test_a_sub_activity_code_outside_urusan_2_17_is_rejected(tmp_path):
    path = write(landing(tmp_path, "anggaran"), "anggaran", rows_of("anggaran", {"kode_sub_kegiatan": "1.01.01.2.02.0001"}))
    db = tmp_path / "events.duckdb"
    assert counts(run([path], db)[path.name]) == ("ingested", 1, 0, 0, 1)


def test_a_non_breaking_space_inside_a_kecamatan_is_a_space(tmp_path):
    path = write(landing(tmp_path, "rat"), "rat", rows_of("rat", {"kecamatan": "Bekasi\u00a0Barat"}))
    db = tmp_path / "events.duckdb"
    run([path], db)
    assert [e["kecamatan"] for e in events(db, "rat")] == ["Bekasi Barat"], quarantined(db)
