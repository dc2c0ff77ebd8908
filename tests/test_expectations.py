"""The quality gate (expectations/): every suite loads whole and passes on the sample, and each
blocking expectation, broken in a copy of the warehouse, fails the gate a refresh runs before
publishing (kumkm.refresh.validate): those of the staging and marts suites by a hand-written
corruption each, those of the raw suites by a batch an ingestion bug let through, made from the
expectation itself. Validation runs in-process on copies of the demo
warehouse; one test runs the real `kumkm refresh` end to end."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import query, restaged, seven_kinds
from expectations import results
from expectations.results import results_db, results_page
from expectations.runner import (LAYERS, SUITES, SuiteError, expectation, fetched_rows, gate_plan, inspect,
                                 load_suite, load_suites, validate, validate_batches)
from ingestion.contract import KECAMATAN, KINDS, YEAR_MAX, YEAR_MIN
from kumkm.home import Home
from kumkm.refresh import QualityGateFailed
from kumkm.refresh import validate as gate  # what a refresh runs between build and publish

SUITE_FILES = sorted(SUITES.glob("*.json"))


def one_record(table: str) -> str:
    """Every version of one record key of an event table (its staging view shows the latest)."""
    return f"record_key = (select min(record_key) from {table})"


def twin(table: str) -> str:
    """A second record with the same key columns under another record key."""
    return (f"insert into {table} select * replace (event_id || '-twin' as event_id, "
            f"record_key || '-twin' as record_key) from {table} where {one_record(table)}")


def update_one(table: str, assignment: str) -> str:
    return f"update {table} set {assignment} where {one_record(table)}"


def bad_batch(table: str, values: dict[str, str], twice: bool = False) -> str:
    """A batch an ingestion bug let through: one record again (twice: two copies of it) in a new
    batch, with bad values (column: SQL expression)."""
    new_batch = "(select max(batch_id) + 1 from events.ingest.batches)"
    replaced = {"batch_id": "(select max(batch_id) from events.ingest.batches)", "event_id": "event_id || '-bug'",
                **values}
    copies = " union all select 2" if twice else ""
    return (f"insert into events.ingest.batches select * replace ({new_batch} as batch_id) from events.ingest.batches "
            f"where batch_id = (select max(batch_id) from {table}); "
            f"insert into {table} select e.* replace ({', '.join(f'{v} as {c}' for c, v in replaced.items())}) "
            f"from {table} e, (select 1{copies}) where {one_record(table)}")


RAW_QUERY_BREAKS = {  # the derived queries of the raw suites, and values each returns
    "raw__ods_rat/rat_held_in_window.sql": {"tanggal_rat": "make_date(tahun_buku, 6, 30)"},
    "raw__ledger_realisasi/sp2d_in_budget_year.sql": {"tanggal_sp2d": "make_date(tahun_anggaran - 1, 12, 31)"},
    "raw__manual_publikasi/printed_figure.sql": dict.fromkeys(["nilai", "capaian", "pagu", "realisasi", "serapan"],
                                                              "null"),
}


def raw_break(suite, expectation) -> str:
    """SQL adding a batch that breaks one blocking expectation of a raw suite."""
    table, kwargs = suite.meta["table"], expectation.kwargs
    if "query" in expectation.meta:
        return bad_batch(table, RAW_QUERY_BREAKS[expectation.meta["query"]])
    column, kind = kwargs["column"], expectation.type
    if kind == "expect_column_values_to_be_unique":
        return bad_batch(table, {column: column}, twice=True)
    if kind == "expect_column_values_to_not_be_null":
        return bad_batch(table, {column: "null"})
    if kind == "expect_column_values_to_be_between":
        low = kwargs["min_value"]
        return bad_batch(table, {column: f"{low} - 1" if isinstance(low, (int, float)) else
                                 f"date '{date.fromisoformat(str(low)[:10]) - timedelta(days=1)}'"})
    return bad_batch(table, {column: "'X'"})  # a set or a pattern no value of which is X


Q4 = "tahun = 2025 and triwulan = 4"
IKU_01 = f"kode_indikator = 'IKU-01' and {Q4}"
UMKM_DILATIH = "keluaran = 'UMKM dilatih' and tahun = 2025 and triwulan = 4"
TOTAL = f"level = 'total' and {Q4}"
SUB_KEGIATAN = f"level = 'sub_kegiatan' and kode = '2.17.01.2.02.0001' and {Q4}"
JATIASIH = f"kecamatan = 'Jatiasih' and {Q4}"

# How to break each blocking expectation of the staging (through the event store) and marts suites.
BREAKS = {
    "staging__ods_rats": {
        "one row per cooperative and book year": twin("events.ods.rat"),
        "every report names its cooperative (nik_koperasi)": update_one("events.ods.rat", "nik = null"),
        "every report has its book year": update_one("events.ods.rat", "tahun_buku = null"),
        "kecamatan is one of the 12 kecamatan of Kota Bekasi": update_one("events.ods.rat", "kecamatan = 'Cikarang'"),
        "status_koperasi is Aktif, Tidak Aktif or Bubar": update_one("events.ods.rat", "status_koperasi = 'Beku'"),
    },
    "staging__ods_kegiatans": {
        "one row per activity (id_kegiatan)": twin("events.ods.kegiatan"),
        "every activity has its id_kegiatan": update_one("events.ods.kegiatan", "id_kegiatan = null"),
        "jenis is one of the contract's four activities": update_one("events.ods.kegiatan", "jenis = 'ARISAN'"),
    },
    "staging__sip3_umkms": {
        "one row per business and data collection day": twin("events.sip3.umkm"),
        "every observation names its business (id_umkm)": update_one("events.sip3.umkm", "id_umkm = null"),
        "every observation has its tanggal_pendataan": update_one("events.sip3.umkm", "tanggal_pendataan = null"),
        "kecamatan is one of the 12 kecamatan of Kota Bekasi": update_one("events.sip3.umkm", "kecamatan = 'Cikarang'"),
        "no staging column carries personal data (nama_pemilik, nik_pemilik, no_hp, alamat)":
            "create view staging.stg_sip3__pemiliks as select id_umkm, no_hp from events.sip3.umkm",
    },
    "staging__sip3_pembinaans": {
        "one row per facilitation (id_pembinaan)": twin("events.sip3.pembinaan"),
        "every facilitation has its id_pembinaan": update_one("events.sip3.pembinaan", "id_pembinaan = null"),
        "jenis is one of the contract's six facilitations": update_one("events.sip3.pembinaan", "jenis = 'ARISAN'"),
    },
    "staging__ledger_anggarans": {
        "one row per budget year, version and sub-activity": twin("events.ledger.anggaran"),
        "tahap is MURNI, PERGESERAN or PERUBAHAN": update_one("events.ledger.anggaran", "tahap = 'REVISI'"),
        "pagu is not negative": update_one("events.ledger.anggaran", "pagu = -1"),
        "kode_sub_kegiatan is a sub-activity code 2.17.PP.K.KK.SSSS":
            update_one("events.ledger.anggaran", "kode_sub_kegiatan = '2.17.01.2.02'"),
    },
    "staging__ledger_realisasis": {
        "one row per payment order (no_sp2d)": twin("events.ledger.realisasi"),
        "every payment has its no_sp2d": update_one("events.ledger.realisasi", "no_sp2d = null"),
    },
    "staging__manual_indikators": {
        "one value per indicator and quarter": twin("events.manual.indikator"),
        "triwulan is 1 to 4": update_one("events.manual.indikator", "triwulan = 5"),
        "every delivered figure has its nilai": update_one("events.manual.indikator", "nilai = null"),
    },
    "staging__manual_publikasis": {
        "one printed line per report, table, code and quarter": twin("events.manual.publikasi"),
        "triwulan is 1 to 4": update_one("events.manual.publikasi", "triwulan = 5"),
    },
    "marts__fct_indicator_quarterly": {
        "one row per indicator × quarter":
            f"insert into marts.fct_indicator_quarterly select * from marts.fct_indicator_quarterly where {IKU_01}",
        "every row names its indicator":
            f"update marts.fct_indicator_quarterly set kode_indikator = null where {IKU_01}",
        "every row has its year": f"update marts.fct_indicator_quarterly set tahun = null where {IKU_01}",
        "every row has its quarter": f"update marts.fct_indicator_quarterly set triwulan = null where {IKU_01}",
        "triwulan is 1 to 4": f"update marts.fct_indicator_quarterly set triwulan = 5 where {IKU_01}",
        "every row has the knowledge time it was computed as of":
            f"update marts.fct_indicator_quarterly set known_at = null where {IKU_01}",
        "predikat is SB, B, C or K": f"update marts.fct_indicator_quarterly set predikat = 'A' where {IKU_01}",
        "capaian is the rounded value against the target":
            f"update marts.fct_indicator_quarterly set capaian_pct = capaian_pct + 1 where {IKU_01}",
        "predikat is the grade of the capaian (SB > 100, B > 80, C > 55, K)":
            f"update marts.fct_indicator_quarterly set predikat = 'K' where {IKU_01}",
        "no quarter has fewer than half the rows of the quarter before":
            f"delete from marts.fct_indicator_quarterly where {Q4} and kode_indikator <> 'IKU-01'",
    },
    "marts__fct_budget_quarterly": {
        "one row per level, code and quarter":
            f"insert into marts.fct_budget_quarterly select * from marts.fct_budget_quarterly where {TOTAL}",
        "level is sub_kegiatan, kegiatan, program, iku or total":
            f"update marts.fct_budget_quarterly set level = 'urusan' where {TOTAL}",
        "every row has its pagu murni": f"update marts.fct_budget_quarterly set pagu_murni = null where {TOTAL}",
        "every row has its pagu in force": f"update marts.fct_budget_quarterly set pagu = null where {TOTAL}",
        "every row has its realisasi": f"update marts.fct_budget_quarterly set realisasi = null where {TOTAL}",
        "pagu murni is not negative": f"update marts.fct_budget_quarterly set pagu_murni = -1 where {SUB_KEGIATAN}",
        "pagu in force is not negative": f"update marts.fct_budget_quarterly set pagu = -1 where {SUB_KEGIATAN}",
        "serapan is realisasi ÷ pagu × 100, rounded to 2 decimals":
            f"update marts.fct_budget_quarterly set serapan_pct = serapan_pct + 0.01 where {TOTAL}",
        "kegiatan, program and total rows add up their sub-activities":
            f"update marts.fct_budget_quarterly set realisasi = realisasi + 1 where level = 'program' "
            f"and kode = '2.17.01' and {Q4}",
        "each key indicator's row adds up the programs mapped to it":
            f"update marts.fct_budget_quarterly set pagu = pagu + 1 where level = 'iku' and kode = 'IKU-02' and {Q4}",
        "no quarter has fewer than half the rows of the quarter before":
            f"delete from marts.fct_budget_quarterly where {Q4} and level <> 'total'",
    },
    "marts__fct_koperasi_kecamatan_quarterly": {
        "one row per kecamatan × quarter": "insert into marts.fct_koperasi_kecamatan_quarterly "
                                           f"select * from marts.fct_koperasi_kecamatan_quarterly where {JATIASIH}",
        "kecamatan is one of the 12 kecamatan of Kota Bekasi":
            f"update marts.fct_koperasi_kecamatan_quarterly set kecamatan = 'Cikarang' where {JATIASIH}",
        "quality-improved cooperatives are among the active ones":
            f"update marts.fct_koperasi_kecamatan_quarterly set koperasi_berkualitas = koperasi_aktif + 1 "
            f"where {JATIASIH}",
        "the kecamatan add up to the city-wide IKU-01 and PRG-02 .. PRG-06 figures":
            f"update marts.fct_koperasi_kecamatan_quarterly set peserta_diklat = peserta_diklat + 1 where {JATIASIH}",
        "no quarter has fewer than half the rows of the quarter before":
            f"delete from marts.fct_koperasi_kecamatan_quarterly where {Q4} and kecamatan <> 'Jatiasih'",
    },
    "marts__fct_umkm_kecamatan_quarterly": {
        "one row per kecamatan × quarter": "insert into marts.fct_umkm_kecamatan_quarterly "
                                           f"select * from marts.fct_umkm_kecamatan_quarterly where {JATIASIH}",
        "kecamatan is one of the 12 kecamatan of Kota Bekasi":
            f"update marts.fct_umkm_kecamatan_quarterly set kecamatan = 'Cikarang' where {JATIASIH}",
        "entrepreneurs are among the registered micro businesses":
            f"update marts.fct_umkm_kecamatan_quarterly set wirausaha = usaha_mikro_terdata + 1 where {JATIASIH}",
        "empowered street vendors are among the registered ones":
            f"update marts.fct_umkm_kecamatan_quarterly set pkl_diberdayakan = pkl_terdaftar + 1 where {JATIASIH}",
        "the kecamatan add up to the city-wide IKU-02, PRG-07 and PRG-08A figures":
            f"update marts.fct_umkm_kecamatan_quarterly set usaha_naik_kelas = usaha_naik_kelas + 1 where {JATIASIH}",
        "no quarter has fewer than half the rows of the quarter before":
            f"delete from marts.fct_umkm_kecamatan_quarterly where {Q4} and kecamatan <> 'Jatiasih'",
    },
    "marts__dim_indicator": {
        "one row per indicator and target year": "insert into marts.dim_indicator select * from marts.dim_indicator "
                                                 "where kode_indikator = 'IKU-01' and tahun = 2025",
        "every target is positive (capaian divides by it)":
            "update marts.dim_indicator set target = 0 where kode_indikator = 'IKU-01' and tahun = 2025",
    },
    "marts__dim_program": {
        "one row per sub-activity and budget year": "insert into marts.dim_program select * from marts.dim_program "
                                                    "where kode_sub_kegiatan = '2.17.01.2.02.0001'",
        "kode_sub_kegiatan is a sub-activity code 2.17.PP.K.KK.SSSS":
            "update marts.dim_program set kode_sub_kegiatan = '2.17.1.2.2.1' "
            "where kode_sub_kegiatan = '2.17.01.2.02.0001'",
    },
    "marts__dim_kecamatan": {
        "the 12 kecamatan of Kota Bekasi, no other": "insert into marts.dim_kecamatan values ('Cikarang', null)",
        "one row per kecamatan":
            "insert into marts.dim_kecamatan select * from marts.dim_kecamatan where kecamatan = 'Jatiasih'",
    },
    "marts__fct_publikasi_audit": {
        "one row per printed figure": "insert into marts.fct_publikasi_audit select * from marts.fct_publikasi_audit "
                                      "where kode = 'IKU-01' and angka = 'nilai'",
        "every printed figure is judged (sesuai)": "update marts.fct_publikasi_audit set sesuai = null "
                                                   "where kode = 'IKU-01' and angka = 'nilai'",
        "every disagreement is classified, a printing error or a later correction (jenis_selisih)":
            "update marts.fct_publikasi_audit set jenis_selisih = null where kode = 'PRG-05' and angka = 'capaian'",
    },
    "marts__fct_efisiensi_quarterly": {
        "every row names its output": f"update marts.fct_efisiensi_quarterly set keluaran = null where {UMKM_DILATIH}",
        "a row stands for at least one activity":
            f"update marts.fct_efisiensi_quarterly set jumlah_kegiatan = 0 where {UMKM_DILATIH}",
        "a row counts at least one output, so the cost per output is defined":
            f"update marts.fct_efisiensi_quarterly set jumlah_keluaran = 0 where {UMKM_DILATIH}",
    },
    "marts__schema": {
        "every table marts.md promises is built": "drop table marts.dim_program",
        "no mart column carries personal data (nama_pemilik, nik_pemilik, no_hp, alamat)":
            "alter table marts.dim_kecamatan add column alamat varchar",
    },
}

BLOCKING = [(suite.name, e.description) for suite in load_suites(("staging", "marts"))
            for e in suite.expectations if e.meta["severity"] == "blocking"]


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corrupt(home: Home, sql: str) -> None:
    """Runs `sql` on the home's transform database with its event store attached as `events`."""
    con = duckdb.connect(str(home.transform_db))
    try:
        con.execute(f"attach '{home.events_db}' as events")
        con.execute(sql)
    finally:
        con.close()


@pytest.fixture
def warehouse(demo_home, tmp_path) -> Home:
    """A copy of the demo warehouse's databases, built and published, to break."""
    home = Home(tmp_path / "home")
    home.root.mkdir()
    for db in ("events.duckdb", "transform.duckdb", "serving.duckdb"):
        shutil.copy(demo_home / db, home.root / db)
    shutil.copytree(demo_home / "dbt" / "compiled", home.dbt_target / "compiled")  # for restaged()
    return home


@pytest.fixture(scope="module")
def sample_outcomes(demo_home):
    """Every suite on the demo warehouse as `kumkm demo` built it (validating only reads it)."""
    return validate(Home(demo_home))


@pytest.mark.parametrize("path", SUITE_FILES, ids=lambda p: p.stem)
def test_suite_file_loads_whole(path):
    spec = json.loads(path.read_text(encoding="utf-8"))
    suite = load_suite(path)
    assert suite.name == path.stem and suite.meta["layer"] in LAYERS
    assert len(suite.expectations) == len(spec["expectations"])
    descriptions = [e.description for e in suite.expectations]
    assert all(descriptions) and len(set(descriptions)) == len(descriptions)


def test_a_misspelt_expectation_type_is_an_error(tmp_path):
    spec = json.loads((SUITES / "marts__dim_kecamatan.json").read_text(encoding="utf-8"))
    spec["expectations"][0]["type"] = "expect_column_distinct_values_to_equal_sets"
    path = tmp_path / "marts__dim_kecamatan.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(SuiteError, match="unknown expectation type expect_column_distinct_values_to_equal_sets"):
        load_suite(path)


NOT_EVALUABLE = {  # an expectation the gate cannot evaluate as written, and why
    "a misspelt argument": ({"column": "nik", "mostyl": 0.9}, "does not take mostyl"),
    "a pandas query as row condition": ({"column": "nik", "row_condition": "nik > 0", "condition_parser": "pandas"},
                                        "does not take condition_parser"),
    "a row condition string alone": ({"column": "nik", "row_condition": "nik > 0"}, "not a pandas query string"),
    "an unknown condition operator": ({"column": "nik", "row_condition": {
        "type": "comparison", "column": {"name": "aset"}, "operator": "=~", "parameter": 1}}, "operator '=~'"),
    "a value set of objects": ({"column": "nik", "value_set": [{"a": 1}]}, "not a string, number or boolean"),
    "a mostly above 1": ({"column": "nik", "mostly": 2}, "mostly 2 is not a number from 0 to 1"),
}


@pytest.mark.parametrize("kwargs, reason", NOT_EVALUABLE.values(), ids=NOT_EVALUABLE.keys())
def test_an_expectation_the_gate_cannot_evaluate_is_an_error(kwargs, reason):
    kind = "expect_column_values_to_be_in_set" if "value_set" in kwargs else "expect_column_values_to_not_be_null"
    with pytest.raises(SuiteError, match=re.escape(reason)):
        expectation({"type": kind, "kwargs": kwargs, "description": "d", "meta": {"severity": "blocking"}})


def test_a_derived_query_counts_its_rows_and_a_suite_names_its_layer(tmp_path):
    spec = json.loads((SUITES / "raw__ods_rat.json").read_text(encoding="utf-8"))
    spec["expectations"][-1] |= {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "nik"}}
    with pytest.raises(SuiteError, match="the expectation on a derived query is expect_table_row_count_to_equal"):
        expectation(spec["expectations"][-1])
    spec = json.loads((SUITES / "raw__ods_rat.json").read_text(encoding="utf-8"))
    spec["meta"]["layer"] = "intermediate"  # a suite of no layer would silently never run
    path = tmp_path / "raw__ods_rat.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(SuiteError, match=r"raw__ods_rat.json: meta needs a layer \(raw, staging, marts\)"):
        load_suite(path)


def test_an_expectation_duckdb_cannot_evaluate_fails_alone(demo_home):
    suite = load_suite(SUITES / "raw__ods_rat.json")
    lookahead = expectation({"type": "expect_column_values_to_match_regex",  # Python's re has it, RE2 not
                             "kwargs": {"column": "nik", "regex": "^(?=3275)\\d{16}$"},
                             "description": "nik is a Kota Bekasi NIK", "meta": {"severity": "warning"}})
    dated = expectation({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "aset", "row_condition": {
        "type": "comparison", "column": {"name": "tanggal_rat"}, "operator": ">=", "parameter": "2025-01-01"}},
        "description": "every RAT of 2025 on has its aset", "meta": {"severity": "warning"}})
    absent = expectation({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "nama_ketua"},
                          "description": "every RAT names its chair", "meta": {"severity": "warning"}})
    worded = expectation({"type": "expect_column_values_to_be_between", "kwargs": {"column": "aset", "min_value": "0"},
                          "description": "aset is not negative, in words", "meta": {"severity": "warning"}})
    odd = [lookahead, dated, absent, worded]
    outcomes = validate(Home(demo_home), [replace(suite, expectations=suite.expectations + odd)])
    assert len(outcomes) == len(suite.expectations) + len(odd)
    assert [(o.description, o.observed) for o in outcomes if not o.success] == [
        ("nik is a Kota Bekasi NIK", "error: could not evaluate: Invalid Input Error: invalid perl operator: (?="),
        ("every RAT of 2025 on has its aset", "error: could not evaluate: row_condition compares tanggal_rat, a DATE "
                                              "column, with the string '2025-01-01': GX's pandas compares none "
                                              "equal or ordered"),
        ("every RAT names its chair", 'error: could not evaluate: Binder Error: Referenced column "nama_ketua" not '
                                      'found in FROM clause!'),
        ("aset is not negative, in words", "error: could not evaluate: a string bound on aset, a DECIMAL(18,2) "
                                           "column: GX's pandas cannot compare them")]


def test_ingest_and_the_gate_import_neither_gx_nor_pandas(demo_home, home, tmp_path):
    """Great Expectations (5 s) and pandas (0.6 s) are the test's reference, not the runtime's."""
    landing = seven_kinds(tmp_path / "landing")["umkm"].parent  # sip3: CSV files only
    script = f"""
import sys
from pathlib import Path
from expectations.runner import validate
from kumkm.cli import main
from kumkm.home import Home
main(["ingest", {str(landing)!r}], standalone_mode=False)
assert validate(Home.from_env()) and validate(Home(Path({str(demo_home)!r})))
print(sorted({{m.split(".")[0] for m in sys.modules}} & {{"great_expectations", "pandas", "numpy"}}))
"""
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "KUMKM_HOME": str(home)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "quality: 23 expectations on 2 new batch(es) hold" in done.stdout
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda k: k.table)
def test_raw_suite_restates_the_contract(kind):
    suite = load_suite(SUITES / f"raw__{kind.source}_{kind.name}.json")
    checks = {(e.type, e.kwargs.get("column")): e.kwargs for e in suite.expectations}
    assert suite.meta["table"] == f"events.{kind.table}"
    for column in kind.key:
        assert ("expect_column_values_to_not_be_null", column) in checks
    for column in kind.columns:
        between = checks.get(("expect_column_values_to_be_between", column.name), {})
        in_set = checks.get(("expect_column_values_to_be_in_set", column.name), {})
        if column.type == "date" and column.name != kind.valid_date:
            assert (str(between["min_value"]), str(between["max_value"])) == (f"{YEAR_MIN}-01-01", f"{YEAR_MAX}-12-31")
        if column.minimum is not None:
            assert between["min_value"] == column.minimum
        if column.type == "kecamatan":
            assert in_set["value_set"] == list(KECAMATAN)
        if column.type == "choice":
            assert sorted(in_set["value_set"]) == sorted(column.choices)


@pytest.mark.parametrize("path", SUITE_FILES, ids=lambda p: p.stem)
def test_suite_passes_on_the_sample(sample_outcomes, path):
    written = json.loads(path.read_text(encoding="utf-8"))["expectations"]
    outcomes = [o for o in sample_outcomes if o.suite == path.stem]
    assert len(outcomes) == len(written)
    assert [(o.description, o.observed) for o in outcomes if o.blocks or o.exception] == []


def written(layers: tuple[str, ...]) -> int:
    return sum(len(suite.expectations) for suite in load_suites(layers))


def test_the_demo_checked_each_batch_at_ingest_and_the_rest_at_refresh(demo_home):
    home = Home(demo_home)
    runs = query(results_db(home), "select min(layer), max(layer), count(*), "
                                   "count(*) filter (where severity = 'blocking' and not success) "
                                   "from results group by run_id order by min(validated_at)")
    assert runs == [("raw", "raw", written(("raw",)), 0), ("marts", "staging", written(("staging", "marts")), 0)]
    checked = query(results_db(home), "select distinct unnest(batch_ids) from results order by 1")
    assert checked == query(home.events_db, "select batch_id from ingest.batches where status = 'ingested' order by 1")
    warned = query(results_db(home), "select description, observed from results where not success order by 1")
    assert warned == [
        ("every indicator with a target has a value (a manual figure not delivered shows here)",
         "8 of 64 rows unexpected"),
        ("every printed figure agrees with the warehouse's (the report's errors show here)", "8 of 83 rows unexpected")]
    assert "Every blocking expectation holds; 2 warning(s)." in results_page(home).read_text(encoding="utf-8")


def test_old_run_details_are_pruned_and_what_the_gate_reads_stays(warehouse, monkeypatch):
    monkeypatch.setattr(results, "KEPT_RUNS", 3)
    rat = load_suite(SUITES / "raw__ods_rat.json")
    (batch_id,), = query(warehouse.events_db, "select max(batch_id) from ods.rat")
    assert all(o.success for o in validate_batches(warehouse, [batch_id]))  # run 1, as ingest checks
    for _ in range(4):  # runs 2 to 5
        inspect(warehouse, [load_suite(SUITES / "staging__ods_rats.json")])
    runs = query(results_db(warehouse), "select distinct suite, run_id from results")
    assert len(runs) == 3 and {suite for suite, _ in runs} == {"staging__ods_rats"}
    assert query(results_db(warehouse), "select suite, count(distinct run_id) from latest group by 1 order by 1") \
        == [("raw__ods_rat", 1), ("staging__ods_rats", 1)]
    assert query(results_db(warehouse), "select suite, batch_id from passed") == [("raw__ods_rat", batch_id)]
    [(suite, unchecked)] = gate_plan(warehouse, [rat])  # the batch passed in a pruned run is not read again
    assert suite == rat and unchecked and batch_id not in unchecked
    assert "<td>events.ods.rat</td>" in results_page(warehouse).read_text(encoding="utf-8")


def test_raw_suites_check_one_batch(demo_home):
    home = Home(demo_home)
    (batch_id, events), = query(home.events_db, "select batch_id, count(*) from ods.rat "
                                                "group by batch_id order by batch_id desc limit 1")
    outcomes = validate(home, [load_suite(SUITES / "raw__ods_rat.json")], batch_ids=(batch_id,))
    assert all(o.success and o.batch_ids == (batch_id,) for o in outcomes)
    assert {o.element_count for o in outcomes if o.element_count is not None} == {events}


def test_a_query_selecting_a_name_twice_keeps_both_columns_masked():
    rows = fetched_rows(duckdb.connect().execute("select 1 as kode, 2 as kode, '3275014506800001' as nik_pemilik, "
                                                 "'3275011203750002' as nik_pemilik"))
    assert rows == [{"kode": 1, "kode_1": 2, "nik_pemilik": "3275********0001", "nik_pemilik_1": "3275********0002"}]


def test_every_blocking_expectation_has_a_way_to_break_it():
    written = [(suite, description) for suite, breaks in BREAKS.items() for description in breaks]
    assert sorted(BLOCKING) == sorted(written)


@pytest.mark.parametrize("suite_name, description", BLOCKING, ids=[f"{s}: {d}" for s, d in BLOCKING])
def test_breaking_a_blocking_expectation_stops_publishing(warehouse, suite_name, description):
    suite = load_suite(SUITES / f"{suite_name}.json")
    corrupt(warehouse, BREAKS[suite_name][description])
    if suite.meta["layer"] == "staging":  # staging tables: the model reads the broken events again
        restaged(warehouse, suite.meta["table"].split(".")[-1])
    with pytest.raises(QualityGateFailed) as failed:
        gate(warehouse, [suite])
    assert f"{suite.meta['table']}: {description} (" in str(failed.value)


RAW_BLOCKING = [(suite, e) for suite in load_suites(("raw",)) for e in suite.expectations
                if e.meta["severity"] == "blocking"]


@pytest.mark.parametrize("suite, expectation", RAW_BLOCKING,
                         ids=[f"{s.name}: {e.description}" for s, e in RAW_BLOCKING])
def test_a_bad_batch_breaking_a_raw_expectation_stops_publishing(warehouse, suite, expectation):
    corrupt(warehouse, raw_break(suite, expectation))
    with pytest.raises(QualityGateFailed) as failed:
        gate(warehouse, [suite])
    assert f"{suite.meta['table']}: {expectation.description} (" in str(failed.value)


def test_warnings_are_stored_and_reported_but_do_not_block(warehouse):
    corrupt(warehouse, "delete from events.ods.rat where nik = (select min(nik) from events.ods.kegiatan)")
    restaged(warehouse, "stg_ods__rats")
    assert not [o for o in gate(warehouse) if o.blocks]
    warned = query(results_db(warehouse), "select description, observed from results where not success order by 1")
    assert warned == [
        ("every activity's cooperative has a RAT report (orphans are reported)", "1 row breaks it"),
        ("every indicator with a target has a value (a manual figure not delivered shows here)",
         "8 of 64 rows unexpected"),
        ("every printed figure agrees with the warehouse's (the report's errors show here)", "8 of 83 rows unexpected")]
    page = results_page(warehouse).read_text(encoding="utf-8")
    assert "Every blocking expectation holds; 3 warning(s)." in page and "orphans are reported" in page


def test_a_table_that_cannot_be_read_fails_its_expectations(warehouse):
    corrupt(warehouse, "drop table marts.dim_kecamatan")
    with pytest.raises(QualityGateFailed) as failed:
        gate(warehouse)
    message = str(failed.value)
    assert message.startswith("quality gate: 3 blocking expectations failed, nothing was published: ")
    assert "marts: every table marts.md promises is built (expect_table_row_count_to_equal: 1 row breaks it)" \
        in message
    assert "marts.dim_kecamatan: one row per kecamatan (expect_column_values_to_be_unique: error: could not read:" \
        in message
    assert "Publishing stopped: 3 blocking expectation(s) failed" in results_page(warehouse).read_text(encoding="utf-8")


def test_personal_data_is_masked_in_stored_samples(warehouse):
    corrupt(warehouse, update_one("events.sip3.umkm", "nik_pemilik = '32750145068000019'"))
    with pytest.raises(QualityGateFailed, match="events.sip3.umkm: nik_pemilik is 16 digits"):
        gate(warehouse, [load_suite(SUITES / "raw__sip3_umkm.json")])
    (sample,), = query(results_db(warehouse), "select unexpected_sample::varchar from results where not success")
    assert "3275*********0019" in sample and "32750145068000019" not in sample
    assert "32750145068000019" not in results_page(warehouse).read_text(encoding="utf-8")


def test_refresh_builds_but_does_not_publish_when_a_blocking_expectation_fails(demo_home, home, kumkm):
    shutil.copytree(demo_home, home)
    warehouse = Home(home)
    corrupt(warehouse, bad_batch("events.ods.rat", {"aset": "-1"}))
    served = fingerprint(warehouse.serving_db)
    result = kumkm("refresh", "--all")
    assert result.exit_code == 1
    assert "quality gate: 1 blocking expectation failed, nothing was published: events.ods.rat: aset is not negative" \
        in result.output
    assert result.output.rstrip().endswith("The serving database keeps its previous state.")
    assert fingerprint(warehouse.serving_db) == served
    (built,), = query(warehouse.transform_db, "select max(known_at) from marts.fct_indicator_quarterly")
    (published,), = query(warehouse.serving_db, "select max(known_at) from marts.fct_indicator_quarterly")
    assert built > published
