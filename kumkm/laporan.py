"""The quarterly performance report (laporan kinerja triwulan): one self-contained HTML page in Bahasa
Indonesia with the LKIP's tables and charts for a quarter, read from the serving database, and the
data-quality results (quality/results.duckdb) and source files (the event store's registry) the
figures rest on. Nothing on the page is fetched: the charts are inline SVG."""
from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import jinja2

from kumkm.angka import KOSONG, ROMAWI, angka, persen, rupiah
from kumkm.grafik import grafik_capaian, grafik_efisiensi, grafik_serapan
from kumkm.home import Home
from kumkm.report import DECIMALS
from kumkm.warehouse import Quarter, utc_now

PREDIKAT = {"SB": "Sangat Baik", "B": "Baik", "C": "Cukup", "K": "Kurang"}
LAPISAN = {"raw": "Data mentah (per berkas)", "staging": "Staging", "marts": "Mart"}
CONTOH_PENOLAKAN = 50


def report_path(home: Home, quarter: Quarter) -> Path:
    return home.reports / f"laporan_kinerja_{quarter}.html"


def write_report(home: Home, quarter: Quarter, out: Path | None = None) -> Path:
    return write_html(report_content(home, quarter), out or report_path(home, quarter))


def write_html(content: dict, path: Path) -> Path:
    """Written beside and swapped in, so a reader never opens half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(render_html(content), encoding="utf-8")
    os.replace(partial, path)
    return path


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


# --- what the report says ------------------------------------------------------------------------

def report_content(home: Home, quarter: Quarter) -> dict:
    """Everything the page shows, figures as exact decimals; LookupError when the serving database
    lacks the quarter or a mart the report reads."""
    con = connect(home.serving_db)
    try:
        known = rows(con, "select max(known_at) as k, max(as_of_date) as d from marts.fct_indicator_quarterly "
                          "where tahun = ? and triwulan = ?", [quarter.tahun, quarter.triwulan])[0]
        if known["k"] is None:
            raise LookupError(f"the serving database holds no figures of {quarter}")
        printed = printed_wrong(con, quarter)
        content = {
            "triwulan": quarter, "romawi": ROMAWI[quarter.triwulan], "sampai": known["d"], "known_at": known["k"],
            "dibuat": utc_now(), "tercetak_berbeda": printed,
            **performance(con, quarter, notes(printed, INDICATOR_FIGURES)),
            **budget(con, quarter, notes(printed, BUDGET_FIGURES)),
            **efficiency(con, quarter),
        }
    except (duckdb.CatalogException, duckdb.BinderException) as e:  # a mart or column added since
        raise LookupError(f"the serving database predates this report ({e.args[0].splitlines()[0]}): "
                          "run `kumkm refresh --all`") from None
    finally:
        con.close()
    return {**content, **quality(home), **sources(home, known["k"])}


def printed_wrong(con: duckdb.DuckDBPyConnection, quarter: Quarter) -> list[dict]:
    """The published figures of the quarter's year, up to the quarter, that disagree with the warehouse,
    with the class of each (salah cetak, koreksi susulan)."""
    return rows(con, """
        select dokumen, tabel, kode, nama, tahun, triwulan, angka, tercetak, dihitung, jenis_selisih
        from marts.fct_publikasi_audit
        where not sesuai and tahun = ? and triwulan <= ?
        order by dokumen, tahun, triwulan, tabel, kode, angka
    """, [quarter.tahun, quarter.triwulan])


INDICATOR_FIGURES, BUDGET_FIGURES = ("nilai", "capaian"), ("pagu", "realisasi", "serapan")


def notes(printed: list[dict], figures: tuple[str, ...]) -> dict[str, list[str]]:
    """Per code, what a published report printed instead of the warehouse's figure, for these figures
    (an indicator's code also names its budget in Tabel 3.7)."""
    found = defaultdict(list)
    for p in printed:
        if p["angka"] in figures:
            found[p["kode"]].append(f"{p['dokumen']} {p['tabel']} mencetak {p['angka']} "
                                    f"{cetak(p['tercetak'], p['angka'])}")
    return found


def performance(con: duckdb.DuckDBPyConnection, quarter: Quarter, printed: dict) -> dict:
    """Capaian Kinerja: every indicator of the quarter beside the same quarter last year and the
    Renstra's final target, with its chart of realisasi against target by quarter."""
    indicators = rows(con, f"""
        select now.kode_indikator, now.nama_indikator, now.level, now.satuan, decimals.desimal, now.target,
            now.nilai_dibulatkan as realisasi, now.capaian_pct, now.predikat,
            last_year.nilai_dibulatkan as realisasi_lalu, last_year.capaian_pct as capaian_lalu,
            plan.periode_renstra, plan.tahun_akhir_renstra, plan.target_akhir_renstra
        from marts.fct_indicator_quarterly as now
        join {DECIMALS} as decimals using (kode_indikator)
        left join marts.fct_indicator_quarterly as last_year
            on last_year.kode_indikator = now.kode_indikator and last_year.tahun = now.tahun - 1
            and last_year.triwulan = now.triwulan
        left join marts.dim_indicator as plan
            on plan.kode_indikator = now.kode_indikator and plan.tahun = now.tahun
        where now.tahun = ? and now.triwulan = ?
        order by case now.level when 'IKU' then 1 when 'program' then 2 else 3 end, now.kode_indikator
    """, [quarter.tahun, quarter.triwulan])
    points = defaultdict(list)
    for p in rows(con, """
            select kode_indikator, tahun, triwulan, nilai_dibulatkan from marts.fct_indicator_quarterly
            where nilai_dibulatkan is not null and (tahun = ? - 1 or (tahun = ? and triwulan <= ?))
            order by tahun, triwulan""", [quarter.tahun, quarter.tahun, quarter.triwulan]):
        points[p["kode_indikator"]].append({"triwulan": f"TW {ROMAWI[p['triwulan']]}", "tahun": str(p["tahun"]),
                                            "realisasi": float(p["nilai_dibulatkan"])})
    for i in indicators:
        i["catatan"] = printed.get(i["kode_indikator"], [])
        i["grafik"] = grafik_capaian(points[i["kode_indikator"]], None if i["target"] is None else float(i["target"]),
                                     i["satuan"], i["desimal"], quarter.tahun)
    periods = {i["periode_renstra"] for i in indicators if i["periode_renstra"]}
    return {"indikator": indicators, "periode_renstra": ", ".join(sorted(periods)) or "Renstra"}


def budget(con: duckdb.DuckDBPyConnection, quarter: Quarter, printed: dict) -> dict:
    """Realisasi Anggaran: per program, the whole department and per key indicator, beside the same
    quarter last year, with absorption through the quarters."""
    lines = rows(con, """
        select now.level, now.kode, now.nama, now.pagu_murni, now.pagu, now.realisasi, now.serapan_pct,
            last_year.realisasi as realisasi_lalu, last_year.serapan_pct as serapan_lalu
        from marts.fct_budget_quarterly as now
        left join marts.fct_budget_quarterly as last_year
            on last_year.level = now.level and last_year.kode = now.kode and last_year.tahun = now.tahun - 1
            and last_year.triwulan = now.triwulan
        where now.tahun = ? and now.triwulan = ? and now.level in ('program', 'total', 'iku')
        order by case now.level when 'program' then 1 when 'total' then 2 else 3 end, now.kode
    """, [quarter.tahun, quarter.triwulan])
    for line in lines:
        line["catatan"] = printed.get(line["kode"], [])
    through = rows(con, """
        select tahun, triwulan, level, kode, nama, serapan_pct from marts.fct_budget_quarterly
        where serapan_pct is not null and ((tahun = ? and triwulan <= ? and level in ('program', 'total'))
            or (tahun = ? - 1 and level = 'total'))
        order by tahun, kode, triwulan""", [quarter.tahun, quarter.triwulan, quarter.tahun])
    series = {}
    points = []
    for p in through:
        kind = "program" if p["level"] == "program" else "total" if p["tahun"] == quarter.tahun else "lalu"
        name = f"{p['kode']} {p['nama']}" if kind == "program" else f"Total {p['tahun']}"
        series[name] = kind
        points.append({"triwulan": f"TW {ROMAWI[p['triwulan']]}", "seri": name, "jenis": kind,
                       "serapan": float(p["serapan_pct"])})
    ordered = sorted(series, key=lambda name: ["program", "total", "lalu"].index(series[name]))
    return {"anggaran_program": [line for line in lines if line["level"] != "iku"],
            "anggaran_iku": [line for line in lines if line["level"] == "iku"],
            "grafik_serapan": grafik_serapan(points, ordered) if points else None}


def efficiency(con: duckdb.DuckDBPyConnection, quarter: Quarter) -> dict:
    """Efisiensi: realisation per output where the activities name the sub-activity that paid."""
    found = rows(con, """
        select now.kode_program, now.kode_sub_kegiatan, now.nama_sub_kegiatan, now.keluaran, now.satuan,
            now.jumlah_kegiatan, now.jumlah_keluaran, now.realisasi, now.biaya_per_keluaran,
            last_year.jumlah_keluaran as jumlah_lalu, last_year.biaya_per_keluaran as biaya_lalu
        from marts.fct_efisiensi_quarterly as now
        left join marts.fct_efisiensi_quarterly as last_year
            on last_year.kode_sub_kegiatan = now.kode_sub_kegiatan and last_year.keluaran = now.keluaran
            and last_year.tahun = now.tahun - 1 and last_year.triwulan = now.triwulan
        where now.tahun = ? and now.triwulan = ?
        order by now.kode_sub_kegiatan nulls last, now.keluaran
    """, [quarter.tahun, quarter.triwulan])
    linked = [r for r in found if r["kode_sub_kegiatan"] is not None]
    twice = {r["keluaran"] for r in linked if sum(o["keluaran"] == r["keluaran"] for o in linked) > 1}
    points = []
    for r in linked:
        r["label"] = f"{r['keluaran']} ({r['kode_sub_kegiatan']})" if r["keluaran"] in twice else r["keluaran"]
        for tahun, biaya in ((quarter.tahun - 1, r["biaya_lalu"]), (quarter.tahun, r["biaya_per_keluaran"])):
            if biaya is not None:
                points.append({"keluaran": r["label"], "tahun": str(tahun), "biaya": float(biaya)})
    return {"efisiensi": linked, "tanpa_sub_kegiatan": [r for r in found if r["kode_sub_kegiatan"] is None],
            "grafik_efisiensi": grafik_efisiensi(points, quarter.tahun) if points else None}


def quality(home: Home) -> dict:
    """Kualitas Data: the latest result of every suite (quality/results.duckdb, table `latest`), as
    quality/index.html shows it, summed per layer, and the expectations that did not hold."""
    path = home.root / "quality" / "results.duckdb"  # expectations.results.results_db, without loading pandas
    if not path.exists():
        return {"pemeriksaan": [], "temuan": []}
    con = connect(path)
    try:
        summary = rows(con, """
            select layer, count(distinct suite) as suite, count(*) as ekspektasi,
                count(*) filter (where success) as lolos,
                count(*) filter (where not success and severity = 'blocking') as gagal_memblokir,
                count(*) filter (where not success and severity <> 'blocking') as peringatan,
                max(validated_at) as terakhir
            from latest group by layer
            order by case layer when 'raw' then 1 when 'staging' then 2 else 3 end""")
        failed = rows(con, """
            select severity, table_name, description, observed from latest where not success
            order by severity = 'warning', suite, description""")
    except duckdb.CatalogException:  # a store no run has written to since table `latest` came
        summary, failed = [], []
    finally:
        con.close()
    for s in summary:
        s["lapisan"] = LAPISAN.get(s["layer"], s["layer"])
    return {"pemeriksaan": summary, "temuan": failed}


def sources(home: Home, known_at: datetime) -> dict:
    """Sumber Data: the files ingested by the knowledge time the figures were computed at, and per
    source kind the rows rejected, with the files refused whole."""
    if not home.events_db.exists():
        raise LookupError(f"no event store at {home.events_db}: the report lists the files the figures rest on")
    con = connect(home.events_db)
    try:
        files = rows(con, """
            select source, kind, file_name, extracted_on, rows_read, rows_added, rows_known, rows_rejected
            from ingest.batches where status = 'ingested' and started_at <= ?
            order by source, kind, extracted_on, file_name""", [known_at])
        refused = rows(con, """
            select file_name, reason from ingest.batches where status = 'refused' and started_at <= ?
            order by file_name""", [known_at])
        rejected = rows(con, """
            select q.source_file, q.row_number, q.column_name, q.reason
            from ingest.quarantine as q
            join ingest.batches as b using (batch_id)
            where b.started_at <= ?
            order by q.batch_id, q.row_number, q.column_name""", [known_at])
    finally:
        con.close()
    per_kind = {}
    for f in files:
        kind = per_kind.setdefault((f["source"], f["kind"]), {"sumber": f"{f['source']}/{f['kind']}", "berkas": 0,
                                                               "dibaca": 0, "ditolak": 0})
        kind["berkas"] += 1
        kind["dibaca"] += f["rows_read"]
        kind["ditolak"] += f["rows_rejected"]
    for kind in per_kind.values():
        kind["proporsi"] = Decimal(100 * kind["ditolak"]) / kind["dibaca"] if kind["dibaca"] else None
    return {"berkas": files, "penolakan": list(per_kind.values()), "berkas_ditolak": refused,
            "baris_ditolak": rejected[:CONTOH_PENOLAKAN], "baris_ditolak_lain": max(len(rejected) - CONTOH_PENOLAKAN, 0)}


# --- the page -------------------------------------------------------------------------------------

def cetak(value: Decimal | None, jenis: str) -> str:
    """A published or computed figure as a report prints it: Rp amounts, percentages, values, without
    trailing zeros."""
    if value is None:
        return KOSONG
    if jenis in ("pagu", "realisasi"):
        return rupiah(value)
    text = angka(value.normalize())
    return text + "%" if jenis in ("capaian", "serapan") else text


def tanggal(day: date) -> str:
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember"]
    return f"{day.day} {months[day.month - 1]} {day.year}"


TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("kumkm", "templates"), autoescape=True,
                               undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
TEMPLATES.filters.update(angka=angka, rupiah=rupiah, persen=persen, cetak=cetak, tanggal=tanggal)
TEMPLATES.globals.update(PREDIKAT=PREDIKAT, KOSONG=KOSONG)


def render_html(content: dict) -> str:
    return TEMPLATES.get_template("laporan_kinerja.html.j2").render(**content)


def preview_markdown(content: dict) -> str:
    """The report's headline figures as markdown, for Dagster's materialization metadata."""
    lines = [f"**Laporan Kinerja Triwulan {content['romawi']} {content['triwulan'].tahun}**", "",
             "| Kode | Indikator | Target | Realisasi | Capaian | Predikat |", "|---|---|---:|---:|---:|---|"]
    for i in content["indikator"]:
        lines.append(f"| {i['kode_indikator']} | {i['nama_indikator']} | {angka(i['target'], i['desimal'])} | "
                     f"{angka(i['realisasi'], i['desimal'])} | {persen(i['capaian_pct'])} | {i['predikat'] or KOSONG} |")
    for line in content["anggaran_program"]:
        if line["level"] == "total":
            lines += ["", f"Anggaran {line['nama']}: pagu {rupiah(line['pagu'])}, realisasi {rupiah(line['realisasi'])}, "
                          f"serapan {persen(line['serapan_pct'])}."]
    if content["tercetak_berbeda"]:
        lines.append(f"{len(content['tercetak_berbeda'])} angka tercetak berbeda dengan gudang data.")
    return "\n".join(lines)
