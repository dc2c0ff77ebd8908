"""`kumkm retract`: a bad batch's events stay stored, and count in no figure as known at or after its
retraction. On copies of the demo warehouse, a partial 2026 budget export (one sub-activity of 24)
is the bad batch: ingest accepts it, and the gate stops publishing on it (a quarter with fewer than
half the budget rows of the quarter before)."""
from __future__ import annotations

import json
import re

import duckdb
import pytest

from conftest import ANGGARAN_HEADER, REALISASI_HEADER, anggaran_row, query, write_csv
from expectations.runner import SUITES, load_suite
from ingestion.store import retract
from kumkm.clock import utc_now
from kumkm.home import Home
from kumkm.refresh import QualityGateFailed, validate


def partial_budget(home):
    """A 2026 budget export of one sub-activity (the year's has 24), as an operator might cut it short."""
    return write_csv(home / "landing" / "ledger" / "anggaran_20260105.csv", ANGGARAN_HEADER,
                     [[2026, "MURNI", "02/01/2026", "2.17.01.2.02.0001", "Penunjang Urusan", "Administrasi Keuangan",
                       "Penyediaan Gaji", "1.300.000.000"]])


def last_batch(home) -> int:
    return query(home / "events.duckdb", "select max(batch_id) from ingest.batches")[0][0]


def marts(serving) -> dict[str, list[tuple]]:
    """Every served mart's rows, sorted, without the knowledge time they were computed at."""
    tables = [t for (t,) in query(serving, "select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1")]
    return {t: sorted(query(serving, f"select * exclude (known_at) from marts.{t}" if query(
        serving, "select count(*) from information_schema.columns where table_schema = 'marts' "
                 "and table_name = ? and column_name = 'known_at'", [t])[0][0] else f"select * from marts.{t}"),
                      key=repr) for t in tables}


def test_after_retracting_a_bad_batch_the_refresh_publishes_what_a_home_without_it_would(warehouse, kumkm,
                                                                                         demo_home):
    assert kumkm("ingest", partial_budget(warehouse)).exit_code == 0  # the raw suite holds
    batch = last_batch(warehouse)
    stopped = kumkm("refresh", "--all")
    assert stopped.exit_code == 1
    assert ("quality gate: 1 blocking expectation failed, nothing was published: marts.fct_budget_quarterly: "
            "no quarter has fewer than half the rows of the quarter before") in stopped.output

    retracted = kumkm("retract", "--batch", batch, "--reason", "anggaran 2026 terpotong")
    assert retracted.exit_code == 0, retracted.output
    assert retracted.output.startswith(f"retracted batch {batch} (ledger/anggaran anggaran_20260105.csv, 1 event) "
                                       "at ")
    published = kumkm("refresh", "--all")
    assert published.exit_code == 0, published.output
    assert marts(warehouse / "serving.duckdb") == marts(demo_home / "serving.duckdb")

    (row,) = query(warehouse / "events.duckdb", "select status, retraction_reason, retracted_at is not null "
                   "from ingest.batches_with_retractions where batch_id = ?", [batch])
    assert row == ("ingested", "anggaran 2026 terpotong", True)
    assert query(warehouse / "events.duckdb", "select count(*) from ledger.anggaran where batch_id = ?",
                 [batch]) == [(1,)]  # nothing deleted
    shown = json.loads(kumkm("rejects", "--format", "json", "--file", "anggaran_20260105.csv").output)
    assert [(r["batch_id"], r["row_number"]) for r in shown] == [(batch, None)]
    assert re.fullmatch(r"batch retracted at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: anggaran 2026 terpotong",
                        shown[0]["reason"])


def test_as_known_before_its_retraction_a_batch_still_counts(warehouse, kumkm):
    kumkm("ingest", partial_budget(warehouse))
    ingested = utc_now()
    assert kumkm("retract", "--batch", last_batch(warehouse), "--reason", "anggaran 2026 terpotong").exit_code == 0
    before = kumkm("report", "--quarter", "2026Q1", "--as-known-at", ingested.isoformat(sep=" "),
                   "--format", "json", "--table", "budget")
    assert before.exit_code == 0, before.output
    budget = {r["kode"]: r for r in json.loads(before.output)["budget"]}
    assert (budget["2.17"]["pagu_murni"], budget["2.17.01"]["pagu"]) == (1300000000, 1300000000)


def test_the_gate_leaves_a_retracted_batch_unchecked(warehouse):
    home = Home(warehouse)
    suite = load_suite(SUITES / "raw__ledger_anggaran.json")
    con = duckdb.connect(str(home.events_db))
    try:  # a batch an ingestion bug let through: the latest budget again, with a negative pagu
        bad = con.execute("select max(batch_id) + 1 from ingest.batches").fetchone()[0]
        latest = "where batch_id = (select max(batch_id) from ledger.anggaran)"
        con.execute(f"insert into ingest.batches select * replace ({bad} as batch_id) from ingest.batches {latest}")
        con.execute(f"insert into ledger.anggaran select * replace ({bad} as batch_id, event_id || '-bug' as event_id, "
                    f"-1 as pagu) from ledger.anggaran {latest}")
    finally:
        con.close()
    with pytest.raises(QualityGateFailed, match="events.ledger.anggaran: pagu is not negative"):
        validate(home, [suite])
    retract(home.events_db, bad, "pagu negatif", utc_now())
    assert validate(home, [suite]) == []  # the other batches passed at ingest: nothing left to check


def test_ingest_compares_with_what_is_not_retracted(home, tmp_path, kumkm):
    ledger = tmp_path / "ledger"
    lines = [anggaran_row("2.17.01.2.02.0001", "100.000"), anggaran_row("2.17.01.2.02.0002", "5.000")]
    bad = write_csv(ledger / "anggaran_20250102.csv", ANGGARAN_HEADER, lines[:1])
    kumkm("ingest", bad)
    assert kumkm("retract", "--batch", 1, "--reason", "terpotong").exit_code == 0
    again = kumkm("ingest", bad)
    assert again.exit_code == 1
    assert f"REFUSED {bad}: same bytes as batch 1, retracted (terpotong): deliver a corrected file" in again.output
    corrected = write_csv(ledger / "anggaran_20250103.csv", ANGGARAN_HEADER, lines)
    assert kumkm("ingest", corrected).exit_code == 0
    assert query(home / "events.duckdb", "select rows_read, rows_added, rows_known from ingest.batches "
                 "where file_name = 'anggaran_20250103.csv'") == [(2, 2, 0)]  # the retracted version is not known
    payment = write_csv(tmp_path / "ledger2" / "realisasi_20250301.csv", REALISASI_HEADER,
                        [[2025, "SP2D-1", "05/03/2025", "2.17.01.2.02.0001", "5.1.02", "1.000"]])
    kumkm("retract", "--batch", 3, "--reason", "salah")
    kumkm("ingest", "--source", "ledger", payment)
    assert query(home / "events.duckdb", "select reason from ingest.quarantine where source_file = ?",
                 [payment.name]) == [("not in any budget version of that tahun_anggaran ingested so far",)]


def test_retract_errors(warehouse, kumkm):
    def error(*args) -> str:
        result = kumkm("retract", *args)
        assert result.exit_code == 1
        return result.output.strip()

    assert error("--batch", 9999, "--reason", "x") == "Error: batch 9999 does not exist (see ingest.batches)"
    assert error("--batch", 1, "--reason", " ") == "Error: a retraction needs its reason"
    kumkm("retract", "--batch", 1, "--reason", "salah kirim")
    assert error("--batch", 1, "--reason", "lagi").startswith("Error: batch 1 (")
    assert " was retracted at " in error("--batch", 1, "--reason", "lagi")
