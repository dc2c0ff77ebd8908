"""`kumkm explain`: a figure of a quarter down to the records it counts, each with the file row its
winning version came from. The records are the basis marts (fct_indicator_basis, fct_budget_basis),
which the dbt build computes from the same models as the figures and checks to add up to them; a
quarter the serving database holds no basis of is built as known at K into a scratch database."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from kumkm.home import Home
from kumkm.report import DECIMALS, with_decimals
from kumkm.warehouse import AS_KNOWN_AT_MODELS, Quarter, built_as_known_at

# What an explanation as known at K needs besides the figures.
EXPLAINED_MODELS = (*AS_KNOWN_AT_MODELS, "+fct_indicator_basis", "+fct_budget_basis")
RECORD_COLUMNS = ["record_key", "jumlah", "tanggal", "alasan", "kind", "source_file", "row_number", "extracted_on",
                  "batch_id"]
BUDGET_PARTS = ("pagu_murni", "pagu", "realisasi")


@dataclass(frozen=True)
class Explanation:
    kode: str
    nama: str
    quarter: Quarter
    known_at: datetime
    figure: dict[str, Decimal | str | None]  # as the mart holds it
    parts: dict[str, list[dict]]  # numerator, denominator (nilai: a manual figure) or the budget's three


def explain(home: Home, kode: str, quarter: Quarter, known_at: datetime,
            rebuilding: Callable[[], None] = lambda: None) -> Explanation:
    """The figure `kode` (an indicator or a budget line) of the quarter as known at K, from the
    serving database when it holds the quarter's basis at K, else from a scratch build (announced
    by `rebuilding`). Raises LookupError for a code with no figure in the quarter."""
    if basis_held(home.serving_db, quarter, known_at):
        return explanation(home.serving_db, kode, quarter)
    rebuilding()
    with built_as_known_at(home, quarter, known_at, EXPLAINED_MODELS, {"basis_quarters": "built"}) as rebuilt:
        return explanation(rebuilt, kode, quarter)


def basis_held(serving_db: Path, quarter: Quarter, known_at: datetime) -> bool:
    if not serving_db.exists():
        return False
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        return con.execute("select count(*) > 0 from marts.fct_indicator_basis "
                           "where tahun = ? and triwulan = ? and known_at = ?",
                           [quarter.tahun, quarter.triwulan, known_at]).fetchone()[0]
    except duckdb.CatalogException:  # served before the basis existed
        return False
    finally:
        con.close()


def explanation(db: Path, kode: str, quarter: Quarter) -> Explanation:
    con = duckdb.connect(str(db), read_only=True)
    try:
        where = {"kode": kode, "tahun": quarter.tahun, "triwulan": quarter.triwulan}
        explained = indicator(con, where) or budget_line(con, where)
    finally:
        con.close()
    if explained is None:
        raise LookupError(f"{kode!r} is neither an indicator nor a budget line (sub-activity, kegiatan, program "
                          f"or 2.17) with a figure in {quarter}")
    nama, known_at, figure, parts = explained
    return Explanation(kode, nama, quarter, known_at, figure, parts)


def indicator(con: duckdb.DuckDBPyConnection, where: dict):
    found = rows(con, f"""
        select nama_indikator, known_at, numerator, denominator, nilai_dibulatkan as realisasi, satuan, desimal
        from marts.fct_indicator_quarterly
        join {DECIMALS} using (kode_indikator)
        where kode_indikator = $kode and tahun = $tahun and triwulan = $triwulan""", where)
    if not found:
        return None
    figure = found[0]
    figure["realisasi"] = with_decimals(figure["realisasi"], figure.pop("desimal"))
    manual = figure["numerator"] is None
    if not manual:
        figure["numerator"], figure["denominator"] = plain(figure["numerator"]), plain(figure["denominator"])
    parts = ("nilai",) if manual else ("numerator", "denominator")
    records = basis(con, "fct_indicator_basis", parts, "kode_indikator = $kode", where)
    return figure.pop("nama_indikator"), figure.pop("known_at"), figure, records


def budget_line(con: duckdb.DuckDBPyConnection, where: dict):
    found = rows(con, """
        select nama, level, known_at, pagu_murni, pagu, realisasi, serapan_pct
        from marts.fct_budget_quarterly
        where kode = $kode and tahun = $tahun and triwulan = $triwulan and level <> 'iku'""", where)
    if not found:
        return None
    figure = found[0]
    under = "true" if figure["level"] == "total" else f"kode_{figure['level']} = $kode"
    records = basis(con, "fct_budget_basis", BUDGET_PARTS, under, where)
    return figure.pop("nama"), figure.pop("known_at"), figure, records


def basis(con: duckdb.DuckDBPyConnection, mart: str, parts: tuple[str, ...], which: str,
          where: dict) -> dict[str, list[dict]]:
    """Per part, the records that count in it (in file order), each with what it adds (`jumlah`)."""
    columns = ", ".join(c for c in RECORD_COLUMNS if c != "jumlah")
    found = rows(con, " union all ".join(
        f"select '{part}' as bagian, {part} as jumlah, {columns}, as_of_date, tahun from marts.{mart} "
        f"where {which} and tahun = $tahun and triwulan = $triwulan and {part} is not null"
        for part in parts) + " order by extracted_on, source_file, row_number, record_key", where)
    records = {part: [] for part in parts}
    for row in found:
        row["jumlah"] = plain(row["jumlah"])
        row["alasan"] = in_words(row["alasan"], row)
        records[row["bagian"]].append({c: row[c] for c in RECORD_COLUMNS})
    return records


def in_words(alasan: str, row: dict) -> str:
    """The basis's reason with its days filled in: {tanggal} the record's, {D} the quarter's last day,
    {N} its year (`the latest RAT held by 2025-12-31, on 2025-03-14, in 1 Jan 2023 .. 2025-12-31, ...`)."""
    days = {"{tanggal}": row["tanggal"], "{D}": row["as_of_date"], "{N}": row["tahun"],
            "{N-1}": row["tahun"] - 1, "{N-2}": row["tahun"] - 2}
    for name, value in days.items():
        alasan = alasan.replace(name, str(value))
    return alasan


def plain(value: Decimal) -> Decimal:
    """1 rather than 1.000000, 14166000 rather than 14166000.00 or 1.4166E+7."""
    return Decimal(format(value.normalize(), "f"))


def total(records: list[dict]) -> Decimal:
    return sum((r["jumlah"] for r in records), Decimal(0))


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[dict]:
    cursor = con.execute(sql, {name: value for name, value in params.items() if f"${name}" in sql})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
