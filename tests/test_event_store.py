"""Idempotency, correction history and counts of the event store, through `kumkm ingest`."""
from __future__ import annotations

import json
import shutil

from conftest import ANGGARAN_HEADER, anggaran_row, query, seven_kinds, write_csv
from expectations.runner import load_suites

EVENT_TABLES = ["ods.rat", "ods.kegiatan", "sip3.umkm", "sip3.pembinaan", "ledger.anggaran",
                "ledger.realisasi", "manual.indikator"]


def events(home) -> dict[str, int]:
    return {t: query(home / "events.duckdb", f"select count(*) from {t}")[0][0] for t in EVENT_TABLES}


def batches(home) -> list[tuple]:
    return query(home / "events.duckdb", "select file_name, status, rows_read, rows_added, rows_known, "
                 "rows_rejected from ingest.batches order by batch_id")


def test_seven_kinds_in_mixed_formats_ingest_with_counts_that_add_up(home, tmp_path, kumkm):
    seven_kinds(tmp_path / "landing")
    result = kumkm("ingest", tmp_path / "landing")
    assert result.exit_code == 0, result.output
    rows = batches(home)
    assert [r[0] for r in rows] == [  # extraction date, then file name
        "anggaran_20250102.csv", "kegiatan_20250331.ods", "pembinaan_20250331.csv", "rat_20250331.xlsx",
        "realisasi_20250331.ods", "umkm_20250331.csv", "indikator_20260115.csv"]
    for name, status, read, added, known, rejected in rows:
        assert (status, read, added, known, rejected) == ("ingested", 3, 2, 0, 1), name
    assert events(home) == dict.fromkeys(EVENT_TABLES, 2)
    for name in ("rat_20250331.xlsx", "umkm_20250331.csv", "realisasi_20250331.ods"):
        assert name in result.output
    rejects = json.loads(kumkm("rejects", "--format", "json").output)
    assert {(r["source_file"], r["row_number"], r["column_name"]) for r in rejects} == {
        ("anggaran_20250102.csv", 4, "pagu"),
        ("kegiatan_20250331.ods", 4, "hasil"),
        ("pembinaan_20250331.csv", 4, "tanggal"),
        ("rat_20250331.xlsx", 4, "kecamatan"),
        ("realisasi_20250331.ods", 4, "kode_sub_kegiatan"),
        ("umkm_20250331.csv", 4, "nik_pemilik"),
        ("indikator_20260115.csv", 4, "kode_indikator"),
    }
    personal = next(r for r in rejects if r["column_name"] == "nik_pemilik")
    assert personal["raw_value"] == "********"  # masked when printed, kept in the store
    assert query(home / "events.duckdb", "select raw_value from ingest.quarantine "
                 "where column_name = 'nik_pemilik'") == [("32750112",)]


def test_the_same_folder_twice_adds_nothing(home, tmp_path, kumkm):
    seven_kinds(tmp_path / "landing")
    kumkm("ingest", tmp_path / "landing")
    before = events(home)
    result = kumkm("ingest", tmp_path / "landing")
    assert result.exit_code == 0
    assert events(home) == before
    assert [r[1] for r in batches(home)[7:]] == ["already_ingested"] * 7
    assert result.output.count("already ingested (same bytes as") == 7


def test_unchanged_record_in_a_later_export_adds_no_event(home, tmp_path, kumkm):
    ledger = tmp_path / "ledger"
    write_csv(ledger / "anggaran_20250102.csv", ANGGARAN_HEADER,
              [anggaran_row("2.17.01.2.02.0001", "1.205.908.800"), anggaran_row("2.17.01.2.02.0002", "5.000")])
    write_csv(ledger / "anggaran_20250110.csv", ANGGARAN_HEADER,  # other bytes, same values
              [anggaran_row("2.17.01.2.02.0002", 5000), anggaran_row("2.17.01.2.02.0001", "Rp 1205908800")])
    kumkm("ingest", ledger)
    assert [r[2:] for r in batches(home)] == [(2, 2, 0, 0), (2, 0, 2, 0)]


def test_a_changed_record_is_a_new_version_and_the_earlier_is_kept(home, tmp_path, kumkm):
    ledger = tmp_path / "ledger"
    kode = "2.17.01.2.02.0001"
    for day, pagu in (("02", "100.000"), ("10", "150.000"), ("20", "Rp 100.000")):
        write_csv(ledger / f"anggaran_202501{day}.csv", ANGGARAN_HEADER, [anggaran_row(kode, pagu)])
    kumkm("ingest", ledger)
    versions = query(home / "events.duckdb", "select extracted_on, pagu, batch_id from ledger.anggaran "
                     "order by extracted_on")
    assert [(str(d), int(p)) for d, p, _ in versions] == [
        ("2025-01-02", 100000), ("2025-01-10", 150000), ("2025-01-20", 100000)]


def test_an_older_export_delivered_late_is_known_when_it_matches_its_time(home, tmp_path, kumkm):
    ledger = tmp_path / "ledger"
    kode = "2.17.01.2.02.0001"
    write_csv(ledger / "anggaran_20250102.csv", ANGGARAN_HEADER, [anggaran_row(kode, "100.000")])
    write_csv(ledger / "anggaran_20250110.csv", ANGGARAN_HEADER, [anggaran_row(kode, "150.000")])
    kumkm("ingest", ledger / "anggaran_20250102.csv")
    kumkm("ingest", ledger / "anggaran_20250110.csv")
    write_csv(ledger / "anggaran_20250102_salinan.csv", ANGGARAN_HEADER, [anggaran_row(kode, 100000)])
    kumkm("ingest", ledger / "anggaran_20250102_salinan.csv")
    assert batches(home)[-1][2:] == (1, 0, 1, 0)


def test_a_redelivered_budget_version_gives_pagu_0_to_what_it_omits(home, tmp_path, kumkm):
    ledger = tmp_path / "ledger"
    write_csv(ledger / "anggaran_20250102.csv", ANGGARAN_HEADER,
              [anggaran_row("2.17.01.2.02.0001", "100.000"), anggaran_row("2.17.01.2.02.0002", "5.000")])
    write_csv(ledger / "anggaran_20250115_koreksi.csv", ANGGARAN_HEADER,
              [anggaran_row("2.17.01.2.02.0001", "100.000", tanggal="15/01/2025")])
    result = kumkm("ingest", ledger)
    assert "1 sub-activities left out" in result.output
    latest = query(home / "events.duckdb", """
        select kode_sub_kegiatan, pagu, tanggal_penetapan, row_number from ledger.anggaran
        qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1
        order by 1""")
    assert [(k, int(p), str(t), r) for k, p, t, r in latest] == [
        ("2.17.01.2.02.0001", 100000, "2025-01-15", 2),
        ("2.17.01.2.02.0002", 0, "2025-01-15", None)]


def test_a_refused_file_is_named_with_its_reason_and_the_others_still_load(home, tmp_path, kumkm):
    ledger = tmp_path / "ledger"
    write_csv(ledger / "anggaran_20250102.csv", ANGGARAN_HEADER[:-1], [anggaran_row("2.17.01.2.02.0001", 1)[:-1]])
    write_csv(ledger / "anggaran_20250103.csv", ANGGARAN_HEADER, [anggaran_row("2.17.01.2.02.0001", 1)])
    write_csv(ledger / "anggaran.csv", ANGGARAN_HEADER, [])
    result = kumkm("ingest", ledger)
    assert result.exit_code == 1
    assert "anggaran_20250102.csv: missing required column 'pagu'" in result.output
    assert "anggaran.csv: name does not follow" in result.output
    assert events(home)["ledger.anggaran"] == 1
    assert sorted(r[1] for r in batches(home)) == ["ingested", "refused", "refused"]


def test_ingest_validates_the_new_batches_with_the_raw_suites(home, tmp_path, kumkm):
    seven_kinds(tmp_path / "landing")
    result = kumkm("ingest", tmp_path / "landing")
    raw = sum(len(suite.expectations) for suite in load_suites(("raw",))
              if suite.meta["table"].removeprefix("events.") in EVENT_TABLES)
    assert f"quality: {raw} expectations on 7 new batch(es) hold" in result.output
    stored = query(home / "quality" / "results.duckdb", "select suite, batch_ids, bool_and(success) from results "
                   "group by all order by suite")
    assert [(suite, ids) for suite, ids, _ in stored] == [
        ("raw__ledger_anggaran", [1]), ("raw__ledger_realisasi", [5]), ("raw__manual_indikator", [7]),
        ("raw__ods_kegiatan", [2]), ("raw__ods_rat", [4]), ("raw__sip3_pembinaan", [3]), ("raw__sip3_umkm", [6])]
    assert all(passed for *_, passed in stored)
    again = kumkm("ingest", tmp_path / "landing")
    assert "quality:" not in again.output  # nothing new, nothing to validate


def test_a_blocking_raw_expectation_failing_at_ingest_exits_non_zero(home, tmp_path, kumkm, monkeypatch):
    """A suite stricter than the contract (nilai at most 80) stands for an ingestion bug letting a bad
    value through: the events are stored, the command names the expectation and table, exits 1."""
    import expectations.runner as runner

    suites = tmp_path / "suites"
    shutil.copytree(runner.SUITES, suites)
    spec = json.loads((suites / "raw__manual_indikator.json").read_text(encoding="utf-8"))
    spec["expectations"].append({"type": "expect_column_values_to_be_between",
                                 "kwargs": {"column": "nilai", "max_value": 80},
                                 "description": "nilai is at most 80", "meta": {"severity": "blocking"}})
    (suites / "raw__manual_indikator.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setattr(runner, "SUITES", suites)
    seven_kinds(tmp_path / "landing")
    result = kumkm("ingest", tmp_path / "landing" / "manual")
    assert result.exit_code == 1
    assert ("quality: 1 blocking expectation failed: events.manual.indikator: nilai is at most 80 "
            "(expect_column_values_to_be_between: 1 of 2 rows unexpected)") in result.output
    assert query(home / "events.duckdb", "select count(*) from manual.indikator") == [(2,)]
