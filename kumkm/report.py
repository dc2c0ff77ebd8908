"""The quarter's indicator and budget tables, read from the serving database."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from kumkm.warehouse import Quarter

INDICATOR_COLUMNS = ["kode_indikator", "nama_indikator", "target", "realisasi", "satuan", "capaian_pct",
                     "predikat"]
BUDGET_COLUMNS = ["kode", "nama", "pagu_murni", "pagu", "realisasi", "serapan_pct"]


def _rows(serving_db: Path, sql: str, params: list) -> list[dict]:
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def served_quarters(serving_db: Path) -> list[Quarter]:
    rows = _rows(serving_db, "select distinct tahun, triwulan from marts.fct_indicator_quarterly order by all", [])
    return [Quarter(r["tahun"], r["triwulan"]) for r in rows]


def served_quarter(serving_db: Path, quarter: Quarter | None) -> Quarter:
    """The quarter asked for, or the latest one served; LookupError when the serving database has none."""
    served = served_quarters(serving_db)
    if not served:
        raise LookupError("the serving database holds no quarter yet: run `kumkm refresh --all`")
    if quarter is None:
        return served[-1]
    if quarter not in served:
        raise LookupError(f"the serving database holds no figures of {quarter} "
                          f"(it holds {served[0]} to {served[-1]}): run `kumkm refresh --quarter {quarter}`")
    return quarter


def with_decimals(value: Decimal | None, desimal: int) -> Decimal | None:
    """The figure with exactly the indicator's number of decimals: 0.1 for IKU-02, 97.70 for PRG-01C."""
    return None if value is None else value.quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP)


# An indicator's decimals, the same in every year of the catalogue.
DECIMALS = "(select distinct kode_indikator, desimal from marts.dim_indicator)"


def indicator_table(serving_db: Path, quarter: Quarter) -> list[dict]:
    rows = _rows(serving_db, f"""
        select kode_indikator, nama_indikator, target, nilai_dibulatkan as realisasi, satuan, capaian_pct,
            predikat, desimal
        from marts.fct_indicator_quarterly
        join {DECIMALS} using (kode_indikator)
        where tahun = ? and triwulan = ?
        order by case level when 'IKU' then 1 when 'program' then 2 else 3 end, kode_indikator
    """, [quarter.tahun, quarter.triwulan])
    for row in rows:
        desimal = row.pop("desimal")
        row["target"], row["realisasi"] = with_decimals(row["target"], desimal), with_decimals(row["realisasi"], desimal)
    return rows


def budget_table(serving_db: Path, quarter: Quarter) -> list[dict]:
    """Per program, then the whole department."""
    return _rows(serving_db, """
        select kode, nama, pagu_murni, pagu, realisasi, serapan_pct
        from marts.fct_budget_quarterly
        where tahun = ? and triwulan = ? and level in ('program', 'total')
        order by level = 'total', kode
    """, [quarter.tahun, quarter.triwulan])


AUDIT_COLUMNS = ["dokumen", "tabel", "kode", "nama", "tahun", "triwulan", "angka", "tercetak", "dihitung",
                 "dihitung_saat_terbit", "jenis_selisih"]
AUDIT_FIGURES = ("tercetak", "dihitung", "dihitung_saat_terbit")


def audit_table(serving_db: Path, dokumen: str | None = None, everything: bool = False) -> list[dict]:
    """The printed figures of the published reports (all, or those that disagree with the warehouse),
    each with the warehouse's own, now and as known when the report was issued, and the class of a
    disagreement; figures without trailing zeros, as a report prints them. LookupError when the
    serving database was published before the audit had these columns."""
    try:
        rows = _rows(serving_db, f"""
            select {', '.join(AUDIT_COLUMNS)}, sesuai
            from marts.fct_publikasi_audit
            where (? is null or dokumen = ?) and (? or not sesuai)
            order by dokumen, tahun, triwulan, tabel, kode, angka
        """, [dokumen, dokumen, everything])
    except duckdb.BinderException as e:
        raise LookupError(f"the serving database predates this audit ({e.args[0].splitlines()[0]}): "
                          "run `kumkm refresh --all`") from None
    for row in rows:
        for name in AUDIT_FIGURES:
            row[name] = None if row[name] is None else format(row[name].normalize(), "f")
    return rows


def audited_documents(serving_db: Path) -> list[str]:
    return [r["dokumen"] for r in _rows(serving_db, "select distinct dokumen from marts.fct_publikasi_audit "
                                                    "order by 1", [])]


def served_known_at(serving_db: Path, quarter: Quarter):
    """The knowledge time K the quarter's served figures were computed at (None: not served)."""
    rows = _rows(serving_db, "select max(known_at) as k from marts.fct_indicator_quarterly "
                             "where tahun = ? and triwulan = ?", [quarter.tahun, quarter.triwulan])
    return rows[0]["k"]
