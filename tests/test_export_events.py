"""`kumkm export-events`: the event store as Parquet (<source>/<kind>/batch_id=<n>/data.parquet and the
tables kept whole, ingest/batches/data.parquet ...), read back with DuckDB; kept in step with events.duckdb."""
from __future__ import annotations

from conftest import ANGGARAN_HEADER, query, write_csv
from ingestion.contract import KINDS
from ingestion.parquet import exported_relation, exported_tables

REGISTRY = "ingest/batches/data.parquet"
RETRACTIONS = "ingest/retractions/data.parquet"
EVENTS_AND_REGISTRY = [kind.table for kind in KINDS.values()] + ["ingest.batches", "ingest.retractions"]


def exported(folder, kind) -> str:
    return exported_relation(folder, kind.table)


def column_types(events_db, relation: str) -> dict[str, str]:
    return {name: data_type for name, data_type, *_ in query(events_db, f"describe select * from {relation}")}


def batch_folders(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.glob("*/*/batch_id=*")}


def budget_2026(home):
    return write_csv(home / "landing" / "ledger" / "anggaran_20260105.csv", ANGGARAN_HEADER,
                     [[2026, "MURNI", "02/01/2026", "2.17.01.2.02.0001", "Penunjang Urusan", "Administrasi Keuangan",
                       "Penyediaan Gaji", "1.300.000.000"]])


def test_the_parquet_event_store_holds_every_event_with_its_type_and_a_second_export_writes_nothing(
        warehouse, kumkm, tmp_path):
    folder = tmp_path / "parquet"
    first = kumkm("export-events", "--to", folder)
    assert first.exit_code == 0, first.output
    events_db = warehouse / "events.duckdb"
    for kind in KINDS.values():
        stored = column_types(events_db, kind.table)
        rows = query(events_db, f"select count(*) from {kind.table}")[0][0]
        assert rows > 0, kind.table
        back = ", ".join(f"cast({c} as json) as {c}" if t == "JSON" else c for c, t in stored.items())
        back = f"select {back} from {exported(folder, kind)}"
        assert query(events_db, f"select count(*) from ((select * from {kind.table} except all {back}) "
                                f"union all ({back} except all select * from {kind.table}))") == [(0,)], kind.table
        assert column_types(events_db, exported(folder, kind)) == {
            c: "VARCHAR" if t == "JSON" else t for c, t in stored.items()}, kind.table
        assert f"{kind.table} " in first.output and f"{rows:,}" in first.output
    for path, table in ((REGISTRY, "ingest.batches"), (RETRACTIONS, "ingest.retractions")):
        assert query(events_db, f"select * from read_parquet('{folder / path}') order by batch_id") == query(
            events_db, f"select * from {table} order by batch_id")
    assert exported_tables(folder) == EVENTS_AND_REGISTRY

    before = {p: p.stat().st_mtime_ns for p in folder.rglob("batch_id=*/data.parquet")}
    again = kumkm("export-events", "--to", folder)
    assert again.exit_code == 0, again.output
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("batch_id=*/data.parquet")} == before
    assert all(line.split()[1:] == ["0", "0"] for line in again.output.splitlines() if line.startswith(
        tuple(f"{kind.table} " for kind in KINDS.values())))


def test_a_new_batch_adds_its_folder_and_a_retraction_reaches_the_registry(warehouse, kumkm, tmp_path):
    folder = tmp_path / "parquet"
    assert kumkm("export-events", "--to", folder).exit_code == 0
    folders = batch_folders(folder)
    assert kumkm("ingest", budget_2026(warehouse)).exit_code == 0
    (batch,) = query(warehouse / "events.duckdb", "select max(batch_id) from ingest.batches")[0]

    added = kumkm("export-events", "--to", folder)
    assert added.exit_code == 0, added.output
    assert batch_folders(folder) - folders == {f"ledger/anggaran/batch_id={batch}"}
    assert query(warehouse / "events.duckdb", f"select count(*), max(pagu) from read_parquet("
                 f"'{folder}/ledger/anggaran/batch_id={batch}/data.parquet')") == [(1, 1_300_000_000)]

    assert kumkm("retract", "--batch", batch, "--reason", "anggaran 2026 terpotong").exit_code == 0
    assert kumkm("export-events", "--to", folder).exit_code == 0
    assert batch_folders(folder) - folders == {f"ledger/anggaran/batch_id={batch}"}
    assert query(warehouse / "events.duckdb", f"select batch_id, reason from read_parquet("
                 f"'{folder / RETRACTIONS}')") == [(batch, "anggaran 2026 terpotong")]
    assert not list(folder.rglob(".*.tmp"))


def test_a_folder_of_another_event_store_is_refused(warehouse, kumkm, tmp_path, monkeypatch):
    folder = tmp_path / "parquet"
    other = tmp_path / "other"
    monkeypatch.setenv("KUMKM_HOME", str(other))
    assert kumkm("ingest", budget_2026(other)).exit_code == 0
    assert kumkm("export-events", "--to", folder).exit_code == 0
    monkeypatch.setenv("KUMKM_HOME", str(warehouse))

    refused = kumkm("export-events", "--to", folder)
    assert refused.exit_code == 1
    assert refused.output.startswith(f"Error: {folder} holds the events of another event store (first batch "
                                     "started at ")
    assert refused.output.endswith(": export into a new folder\n")
    assert refused.output.count("\n") == 1
    assert batch_folders(folder) == {"ledger/anggaran/batch_id=1"}


def test_a_home_that_published_exports_its_publications_whole(warehouse, kumkm, tmp_path):
    folder = tmp_path / "parquet"
    assert kumkm("export-events", "--to", folder).exit_code == 0
    assert kumkm("publish", "--quarter", "2025Q4").exit_code == 0

    assert kumkm("export-events", "--to", folder).exit_code == 0
    events_db = warehouse / "events.duckdb"
    for table in ("publish.publications", "publish.figures"):
        assert query(events_db, f"select * from {exported_relation(folder, table)}") == query(
            events_db, f"select * from {table} order by all"), table
        assert column_types(events_db, exported_relation(folder, table)) == column_types(events_db, table)
    assert exported_tables(folder) == EVENTS_AND_REGISTRY + ["publish.publications", "publish.figures"]
