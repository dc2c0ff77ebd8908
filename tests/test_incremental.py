"""Incremental builds (dbt_project/macros/batch_watermark.sql): the staging models of the events and
int_umkm_pendataan are built on from their last build with the records of the batches ingested
since, and must hold exactly what a build from scratch holds. On copies of the demo warehouse,
with the real dbt and DuckDB."""
from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb

from conftest import query
from ingestion.ingest import ingest
from ingestion.store import retract
from kumkm.clock import utc_now
from kumkm.home import Home
from kumkm.sample_data import write_sample_exports
from kumkm.refresh import last_refresh, refresh
from kumkm.warehouse import Quarter, dbt_vars, run_dbt, scratch_build

# The models built by batch watermark: each continued build must equal a build from scratch.
BY_WATERMARK = ("staging", "int_umkm_pendataan")
UMKM = ("id_umkm, nama_usaha, nama_pemilik, nik_pemilik, no_hp, alamat, kelurahan, kecamatan, sektor_usaha, skb, "
        "tanggal_skb, nib, tanggal_nib, modal_usaha, omzet_tahunan, tenaga_kerja, informal_pkl, tdu_pkl, "
        "status_usaha, tanggal_pendataan")
RAT = ("nik, nama_koperasi, jenis_koperasi, kecamatan, kelurahan, status_koperasi, tahun_buku, tanggal_rat, "
       "jumlah_anggota, jumlah_pengurus, aset, volume_usaha, shu, modal_sendiri, modal_luar")
# The latest version of each record in the store, as the exports are written from it.
LATEST = ("(from {table} qualify row_number() over (partition by record_key "
          "order by extracted_on desc, batch_id desc) = 1)")


def exported(home: Path, path: Path, sql: str) -> Path:
    """The rows of `sql` on the home's event store as an export file (CSV, contract columns)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(home / "events.duckdb"), read_only=True)
    try:
        con.execute(f"copy ({sql}) to '{path}' (header)")
    finally:
        con.close()
    return path


def new_exports(home: Path) -> list[Path]:
    """A quarter's exports with new, changed and corrected records, and a late one that loses, all
    dated from the second half of 2025 on (so that a refresh of a few quarters takes them in):
    - sip3/umkm of 31 March 2026: a new business; a new observation of a business dated the day
      after one of its own and before another (its neighbours' rules change); a corrected
      observation followed by another (ten times the sales: a move up, which its successor's
      rules read); a business's latest observation no longer active;
    - ods/rat of 31 March 2026: a corrected RAT (the assets doubled) and a new book year's RAT;
    - sip3/umkm extracted 1 December 2025, delivered late: an observation of October 2025 that the
      export of 31 December first gave, with other sales: that later extraction stays the version known."""
    landing = home / "landing"
    umkm = LATEST.format(table="sip3.umkm")
    followed = ("from {umkm} as observed where tanggal_pendataan >= date '2025-07-01' and {condition} and exists ("
                "select 1 from sip3.umkm as later where later.id_umkm = observed.id_umkm "
                "and later.tanggal_pendataan > observed.tanggal_pendataan + 1)")
    return [
        exported(home, landing / "sip3" / "umkm_20260331.csv", f"""
            select {UMKM.replace('id_umkm', "'SIP3-BARU-0001' as id_umkm")
                        .replace('tanggal_pendataan', "date '2026-02-10' as tanggal_pendataan")}
            from {umkm} where id_umkm = (select min(id_umkm) from sip3.umkm)
            qualify row_number() over (order by tanggal_pendataan desc) = 1
            union all
            select {UMKM.replace('tanggal_pendataan', 'tanggal_pendataan + 1 as tanggal_pendataan')
                        .replace('omzet_tahunan', 'omzet_tahunan * 2 as omzet_tahunan')}
            {followed.format(umkm=umkm, condition='true')}
            qualify row_number() over (order by id_umkm) = 1
            union all
            select {UMKM.replace('omzet_tahunan', 'omzet_tahunan * 10 as omzet_tahunan')}
            {followed.format(umkm=umkm, condition='omzet_tahunan is not null')}
            qualify row_number() over (order by id_umkm desc) = 1
            union all
            select {UMKM.replace('status_usaha', "'Tidak Aktif' as status_usaha")}
            from {umkm} where status_usaha = 'Aktif' and skb is not null
            qualify row_number() over (order by tanggal_pendataan desc, id_umkm) = 1"""),
        exported(home, landing / "ods" / "rat_20260331.csv", f"""
            select {RAT.replace('aset', 'aset * 2 as aset')}
            from {LATEST.format(table='ods.rat')}
            qualify row_number() over (order by tanggal_rat desc, nik) = 1
            union all
            select {RAT.replace('tahun_buku', 'tahun_buku + 1 as tahun_buku')
                       .replace('tanggal_rat', "date '2026-03-02' as tanggal_rat")}
            from {LATEST.format(table='ods.rat')} where tahun_buku = 2024
            qualify row_number() over (order by nik) = 1"""),
        exported(home, landing / "sip3" / "umkm_20251201.csv", f"""
            select {UMKM.replace('omzet_tahunan', 'coalesce(omzet_tahunan, 0) + 1 as omzet_tahunan')}
            from sip3.umkm where extracted_on = date '2025-12-31' and tanggal_pendataan < date '2025-12-01'
            qualify row_number() over (order by id_umkm) = 1"""),
    ]


def continued(home: Path, model: str) -> bool:
    """Whether dbt's last build of the model continued its table (merged or deleted and inserted the
    rows of its records built again) rather than building it whole (create table)."""
    [sql] = (home / "dbt" / "run").rglob(f"{model}.sql")
    return sql.read_text().lstrip().lower().startswith(("merge into", "delete from"))


def tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [f"{schema}.{table}" for schema, table in con.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ? and "
        "(table_schema in ('staging', 'marts') or table_name = 'int_umkm_pendataan') "
        "and table_name <> 'batch_watermarks' order by 1, 2", [catalog]).fetchall()]


def differences(built: Path, scratch: Path, only: tuple[str, ...] | None = None) -> dict[str, tuple[int, int]]:
    """Per table of staging, int_umkm_pendataan and the marts (or the `only` ones) of a transform
    database: the rows it has that a build from scratch lacks and the rows it lacks, the
    knowledge time a mart's rows were computed at aside."""
    con = duckdb.connect()
    try:
        con.execute("attach $path as built (read_only)", {"path": str(built)})
        con.execute("attach $path as scratch (read_only)", {"path": str(scratch)})
        names = [n for n in tables(con, "scratch") if only is None or n.split(".")[0] in only or n.split(".")[1] in only]
        assert names and set(names) <= set(tables(con, "built"))
        found = {}
        for name in names:
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'scratch' "
                "and table_schema || '.' || table_name = ? and column_name not like 'known_at%' "
                "order by ordinal_position", [name]).fetchall()]
            rows = f"select {', '.join(columns)} from {{}}.{name}"
            extra, missing = (con.execute(f"select count(*) from ({rows.format(a)} except all {rows.format(b)})")
                              .fetchone()[0] for a, b in (("built", "scratch"), ("scratch", "built")))
            found[name] = (extra, missing)
        return found
    finally:
        con.close()


def rebuilt_from_scratch(home: Path, tmp_path: Path) -> Path:
    """A copy of the home refreshed again from its event store, every quarter from scratch, as
    known at the home's last refresh; the path of its transform database."""
    scratch = tmp_path / "scratch"
    shutil.copytree(home, scratch)
    for built in ("transform.duckdb", "serving.duckdb", "dbt/last_refresh.json", "dbt/catalogue_built"):
        (scratch / built).unlink(missing_ok=True)
    refresh(Home(scratch), knowledge_time=last_refresh(Home(home)).known_at)
    return scratch / "transform.duckdb"


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def test_a_refresh_after_new_changed_and_corrected_records_equals_a_build_from_scratch(warehouse, tmp_path):
    home = Home(warehouse)
    last = query(home.events_db, "select max(batch_id) from ingest.batches")[0][0]
    results = ingest(new_exports(warehouse), home.events_db)
    assert [r.status for r in results] == ["ingested"] * 3
    assert query(home.events_db, f"select count(*) from sip3.umkm where batch_id > {last}") == [(5,)]
    # the quarters the landing sensor builds: from the new events' earliest to the last with data
    [(earliest, latest)] = query(home.events_db, "select min(valid_date) filter (where batch_id > ?), "
                                 "max(valid_date) from (select batch_id, valid_date from sip3.umkm union all "
                                 "select batch_id, valid_date from ods.rat)", [last])
    refresh(home, quarter_of(earliest), quarter_of(latest))

    assert all(continued(warehouse, m) for m in ("stg_sip3__umkms", "stg_ods__rats", "stg_ledger__realisasis",
                                                "int_umkm_pendataan"))
    different = {t: d for t, d in differences(home.transform_db, rebuilt_from_scratch(warehouse, tmp_path)).items()
                 if d != (0, 0)}
    assert different == {}
    # the late, older extraction is stored and is not the version known
    assert query(home.transform_db, "select count(*) from staging.stg_sip3__umkms where source_file = "
                 "'umkm_20251201.csv'") == [(0,)]


def test_a_build_that_cannot_continue_the_last_one_is_built_whole(warehouse):
    """A retraction since the last build, an earlier knowledge time, a changed project: the models
    are built whole, and equal a scratch build as known at the same K; a later build continues."""
    home = Home(warehouse)
    k = last_refresh(home).known_at
    [(batch, ingested_at)] = query(home.events_db, "select batch_id, finished_at from ingest.batches "
                                   "where file_name = 'umkm_20250630.csv'")

    def built(knowledge_time, **extra) -> bool:
        """The models built as known at K; whether they continued the last build, and then equal a
        scratch build (a whole build is one)."""
        variables = {**dbt_vars(knowledge_time), **extra}
        run_dbt(home, "run", variables, "--select", *BY_WATERMARK)
        if not continued(warehouse, "stg_sip3__umkms") or not continued(warehouse, "int_umkm_pendataan"):
            return False
        with scratch_build(home, variables, *BY_WATERMARK) as scratch:
            assert set(differences(home.transform_db, scratch, BY_WATERMARK).values()) == {(0, 0)}
        return True

    retract(home.events_db, batch, "diganti", utc_now())
    assert not built(utc_now())
    assert built(utc_now())  # the retraction was known to the last build
    assert not built(ingested_at + timedelta(seconds=1))  # before the retraction: the batch counts again
    assert built(k)
    assert not built(k, project_digest="changed")


def test_an_event_store_made_again_is_another_store(warehouse, tmp_path):
    """A store made again numbers its batches from 1 again: here from the sample's exports but the
    last business records, so that rows the last build read are gone. The models are built whole,
    not continued from a watermark of the store replaced, and equal a scratch build; a later build
    continues."""
    home = Home(warehouse)
    exports = sorted(write_sample_exports(tmp_path / "landing"))
    dropped = max(p for p in exports if p.name.startswith("umkm_"))
    made_again = tmp_path / "events.duckdb"
    assert {r.status for r in ingest([p for p in exports if p != dropped], made_again)} == {"ingested"}
    shutil.move(made_again, home.events_db)
    variables = dbt_vars(utc_now())

    run_dbt(home, "run", variables, "--select", *BY_WATERMARK)
    assert not continued(warehouse, "stg_sip3__umkms")
    with scratch_build(home, variables, *BY_WATERMARK) as scratch:
        assert set(differences(home.transform_db, scratch, BY_WATERMARK).values()) == {(0, 0)}
    assert query(home.transform_db, "select count(*) from staging.stg_sip3__umkms where source_file = ?",
                 [dropped.name]) == [(0,)]
    run_dbt(home, "run", variables, "--select", *BY_WATERMARK)
    assert continued(warehouse, "stg_sip3__umkms")

