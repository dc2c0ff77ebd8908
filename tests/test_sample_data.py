"""The bundled sample exports: deterministic, and ingested with exactly the rejects they plant."""
from __future__ import annotations

import hashlib
import json
import shutil

from conftest import query
from kumkm.sample_data import EXPECTED_REJECTS, write_sample_exports


def digests(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_sample_is_the_same_bytes_on_every_call(tmp_path):
    first = write_sample_exports(tmp_path / "a")
    write_sample_exports(tmp_path / "b")
    assert len(first) > 40
    assert {p.suffix for p in first} == {".csv", ".xlsx", ".ods"}
    assert {p.parent.name for p in first} == {"ods", "sip3", "ledger", "manual"}
    assert digests(tmp_path / "a") == digests(tmp_path / "b")


def test_demo_ingests_every_file_with_counts_that_add_up(demo_home):
    batches = query(demo_home / "events.duckdb", "select file_name, status, rows_read, rows_added, "
                    "rows_known, rows_rejected from ingest.batches order by batch_id")
    assert len(batches) == len(list((demo_home / "landing").rglob("*.*")))
    for name, status, read, added, known, rejected in batches:
        assert status == "ingested" and read == added + known + rejected > 0, name
    kinds = {k for (k,) in query(demo_home / "events.duckdb", "select distinct kind from ingest.batches")}
    assert kinds == {"rat", "kegiatan", "umkm", "pembinaan", "anggaran", "realisasi", "indikator", "publikasi"}


def test_demo_quarantines_exactly_the_planted_rejects(demo_home, kumkm, monkeypatch):
    monkeypatch.setenv("KUMKM_HOME", str(demo_home))
    rejects = json.loads(kumkm("rejects", "--format", "json").output)
    assert sorted((r["source_file"], r["row_number"], r["column_name"]) for r in rejects) == sorted(
        (r.file, r.row, r.column) for r in EXPECTED_REJECTS)


def test_demo_twice_adds_no_event(demo_home, tmp_path, kumkm, monkeypatch):
    copy = tmp_path / "copy"
    shutil.copytree(demo_home, copy)
    monkeypatch.setenv("KUMKM_HOME", str(copy))
    count = "select sum(rows_added) from ingest.batches"
    before = query(copy / "events.duckdb", count)
    assert kumkm("demo").exit_code == 0
    assert query(copy / "events.duckdb", count) == before
