"""`kumkm publish`: a quarter's served figures recorded as published, an immutable event of the store,
and the restatements of published figures that later events changed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from kumkm.audit import classify_printed
from kumkm.home import Home
from kumkm.warehouse import Quarter, dbt_vars, publish, run_dbt, utc_now

PUBLICATIONS = """
create table if not exists publish.publications (
    publication_id integer primary key,
    dokumen varchar not null,
    tahun integer not null,
    triwulan integer not null,
    known_at timestamp not null,      -- knowledge time K of the figures published
    published_at timestamp not null   -- when `kumkm publish` recorded them, UTC
)"""

FIGURES = """
create table if not exists publish.figures (
    publication_id integer not null,
    kode_indikator varchar not null,
    nama_indikator varchar,
    level varchar,
    kode_program varchar,
    tahun integer not null,
    triwulan integer not null,
    as_of_date date,
    numerator decimal(38, 6),
    denominator decimal(38, 6),
    nilai decimal(38, 10),
    nilai_dibulatkan decimal(24, 4),
    satuan varchar,
    target decimal(18, 4),
    capaian_pct decimal(10, 2),
    predikat varchar
)"""

FIGURE_COLUMNS = ["kode_indikator", "nama_indikator", "level", "kode_program", "tahun", "triwulan", "as_of_date",
                  "numerator", "denominator", "nilai", "nilai_dibulatkan", "satuan", "target", "capaian_pct",
                  "predikat"]

# The marts built from the publications, rebuilt by every publication (the audit: a report published
# under the same dokumen is known at its K).
PUBLISHED_MARTS = ("fct_indicator_published", "fct_indicator_restatement", "fct_publikasi_audit")
# The records behind the figures of the latest publication's quarter.
BASIS_MARTS = ("fct_budget_basis", "fct_indicator_basis")

TRIWULAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class NotPublishable(Exception):
    """The quarter cannot be published: the serving database does not hold its figures."""


@dataclass(frozen=True)
class Publication:
    publication_id: int
    dokumen: str
    quarter: Quarter
    known_at: datetime


def default_dokumen(quarter: Quarter) -> str:
    return f"Laporan Kinerja TW {TRIWULAN[quarter.triwulan]} {quarter.tahun}"


def publish_quarter(home: Home, quarter: Quarter, dokumen: str | None = None) -> Publication:
    """Records the quarter's served figures as published, then serves the publication marts and the
    records behind the figures (when the transform database still holds the build they came from;
    else the next refresh that builds the quarter computes them)."""
    publication = record(home, quarter, dokumen or default_dokumen(quarter))
    run_dbt(home, "build", dbt_vars(utc_now()),
            "--select", *(f"stg_publish__{table}+" for table in ("publications", "figures")),
            "--exclude", "fct_budget_basis+")
    classify_printed(home)
    rebuilt = PUBLISHED_MARTS
    if built_last(home, publication):
        # from the replays the figures were summed from, as known at their K
        run_dbt(home, "build", dbt_vars(publication.known_at), "--select", "fct_budget_basis+")
        rebuilt += BASIS_MARTS
    publish(home, marts_from_serving=True, rebuilt=rebuilt)
    return publication


def built_last(home: Home, publication: Publication) -> bool:
    """Whether the last build in the transform database made the published figures: it covered the
    quarter, at the publication's K."""
    con = duckdb.connect(str(home.transform_db), read_only=True)
    try:
        return con.execute("""
            select count(*) > 0
            from intermediate.int_quarters
            join marts.fct_indicator_quarterly using (tahun, triwulan)
            where tahun = ? and triwulan = ? and known_at = ?""",
            [publication.quarter.tahun, publication.quarter.triwulan, publication.known_at]).fetchone()[0]
    finally:
        con.close()


def record(home: Home, quarter: Quarter, dokumen: str) -> Publication:
    """One transaction: the publication and its figures, appended to the event store."""
    if not home.serving_db.exists():
        raise NotPublishable(f"no serving database at {home.serving_db}: run `kumkm refresh --all` first")
    con = duckdb.connect(str(home.events_db))
    try:
        con.execute("attach $path as served (read_only)", {"path": str(home.serving_db)})
        con.execute("begin")
        known = con.execute("select distinct known_at from served.marts.fct_indicator_quarterly "
                            "where tahun = ? and triwulan = ?", [quarter.tahun, quarter.triwulan]).fetchall()
        if len(known) != 1:
            raise NotPublishable(f"the serving database holds no figures of {quarter}: "
                                 f"run `kumkm refresh --quarter {quarter}` first")
        k = known[0][0]
        con.execute("create schema if not exists publish")
        con.execute(PUBLICATIONS)
        con.execute(FIGURES)
        publication_id = con.execute("select coalesce(max(publication_id), 0) + 1 "
                                     "from publish.publications").fetchone()[0]
        con.execute("insert into publish.publications values (?, ?, ?, ?, ?, ?)",
                    [publication_id, dokumen, quarter.tahun, quarter.triwulan, k, utc_now()])
        columns = ", ".join(FIGURE_COLUMNS)
        con.execute(f"insert into publish.figures (publication_id, {columns}) "
                    f"select ?, {columns} from served.marts.fct_indicator_quarterly "
                    "where tahun = ? and triwulan = ?", [publication_id, quarter.tahun, quarter.triwulan])
        con.execute("commit")
    finally:
        con.close()
    return Publication(publication_id, dokumen, quarter, k)


RESTATEMENT_COLUMNS = ["dokumen", "known_at", "kode_indikator", "nilai_terbit", "nilai_kini", "selisih", "penyebab"]


def restatements(serving_db: Path, quarter: Quarter) -> list[dict]:
    """The restated figures of the quarter's latest publication (none when it was never published)."""
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        cursor = con.execute(f"""
            select {', '.join(RESTATEMENT_COLUMNS)}
            from marts.fct_indicator_restatement
            where publication_id = (select max(publication_id) from marts.fct_indicator_published
                                    where tahun = $tahun and triwulan = $triwulan)
            order by kode_indikator
        """, {"tahun": quarter.tahun, "triwulan": quarter.triwulan})
        return [dict(zip(RESTATEMENT_COLUMNS, row)) for row in cursor.fetchall()]
    except duckdb.CatalogException:  # a serving database published before restatements existed
        return []
    finally:
        con.close()


def restatement_line(row: dict) -> str:
    selisih = "-" if row["selisih"] is None else f"{row['selisih'].normalize():+f}"
    return (f"restated {row['kode_indikator']}: published {fmt(row['nilai_terbit'])} in {row['dokumen']} "
            f"(known at {row['known_at']:%Y-%m-%d %H:%M:%S}), now {fmt(row['nilai_kini'])} ({selisih}); "
            f"cause: {row['penyebab'] or 'no event after the publication feeds it (a model or target changed)'}")


def fmt(value) -> str:
    return "-" if value is None else format(value.normalize(), "f")
