"""The quarterly performance report in HTML (`kumkm report --format html`), as `kumkm demo` writes it
for 2025Q4: every figure on the page read back from its Indonesian text and compared with the marts,
the event store's registry and the quality results; the page fetches nothing; a real browser renders
each section and its charts (screenshots in test-artifacts/)."""
from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chromium import ARTIFACTS, CHROMIUM, Browser
from conftest import query
from test_golden_lkip_2025 import LKIP, printed_errors

SECTIONS = ["capaian-kinerja", "realisasi-anggaran", "efisiensi", "kualitas-data", "sumber-data"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]


class Page(HTMLParser):
    """The tables of a page (`<table data-tabel>`): per table, its rows as {header: text} with the
    row's own attributes (data-kode, ...) beside them; and the charts (`<figure data-grafik>`)."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[dict]] = {}
        self.charts: dict[str, str] = {}
        self.table = self.header = self.row = self.cell = self.chart = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-tabel" in attrs:
            self.table, self.header = self.tables.setdefault(attrs["data-tabel"], []), None
        elif tag == "figure" and "data-grafik" in attrs:
            self.chart = attrs["data-grafik"]
            self.charts[self.chart] = ""
        elif self.chart and tag in ("svg", "path", "text", "g"):
            self.charts[self.chart] += f"<{tag} class='{attrs.get('class', '')}'>"
        elif self.table is not None and tag == "tr":
            self.row = {"attrs": attrs, "cells": []}
        elif self.row is not None and tag in ("td", "th"):
            self.cell = []

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag == "figure":
            self.chart = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row["cells"].append(" ".join(" ".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.header is None:
                self.header = self.row["cells"]
            elif len(self.row["cells"]) == len(self.header):
                self.table.append({**self.row["attrs"], **dict(zip(self.header, self.row["cells"]))})
            self.row = None
        elif tag == "table":
            self.table = None


def number(text: str) -> Decimal | None:
    """The figure an Indonesian text shows: Rp 12.545.556.074 → 12545556074, 83,05% → 83.05, – → None."""
    if text == "–":
        return None
    found = re.match(r"(?:Rp )?(-?[\d.]+(?:,\d+)?)", text)
    assert found, text
    return Decimal(found[1].replace(".", "").replace(",", "."))


def decimals(text: str) -> int:
    shown = re.match(r"(?:Rp )?-?[\d.]+(?:,(\d+))?", text)[1]
    return len(shown or "")


def by(rows: list[dict], *keys: str) -> dict:
    return {tuple(r.get(k) for k in keys) if len(keys) > 1 else r.get(keys[0]): r for r in rows}


@pytest.fixture(scope="module")
def report(demo_home) -> Path:
    path = demo_home / "reports" / "laporan_kinerja_2025Q4.html"
    assert f"laporan kinerja 2025Q4: {path}" in (demo_home / "demo_stdout.txt").read_text()
    return path


@pytest.fixture(scope="module")
def page(report) -> Page:
    return Page(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def served(demo_home) -> Path:
    return demo_home / "serving.duckdb"


def test_capaian_kinerja_shows_every_indicator_of_the_marts_with_its_own_decimals(page, served):
    rows = by([r for r in page.tables["capaian-kinerja"] if "data-kode" in r], "data-kode")
    marts = query(served, """
        select f.kode_indikator, d.desimal, f.target, f.nilai_dibulatkan, f.capaian_pct, f.predikat,
            lalu.nilai_dibulatkan, lalu.capaian_pct, d.target_akhir_renstra
        from marts.fct_indicator_quarterly f
        join marts.dim_indicator d on d.kode_indikator = f.kode_indikator and d.tahun = f.tahun
        left join marts.fct_indicator_quarterly lalu on lalu.kode_indikator = f.kode_indikator
            and lalu.tahun = 2024 and lalu.triwulan = 4
        where f.tahun = 2025 and f.triwulan = 4""")
    assert set(rows) == {m[0] for m in marts} and len(rows) == 16
    for kode, desimal, target, nilai, capaian, predikat, nilai_lalu, capaian_lalu, target_akhir in marts:
        row = rows[kode]
        shown = [row["Target 2025"], row["Realisasi s/d TW IV 2025"], row["Realisasi s/d TW IV 2024"]]
        assert [number(t) for t in shown] == [target, nilai, nilai_lalu], kode
        assert {decimals(t) for t in shown if t != "–"} == {desimal}, kode
        assert (number(row["Capaian"]), row["Predikat"]) == (capaian, predikat), kode
        assert number(row["Capaian s/d TW IV 2024"]) == capaian_lalu, kode
        assert number(row["Target akhir Renstra 2025-2029"]) == target_akhir, kode
    assert (rows["IKU-02"]["Realisasi s/d TW IV 2025"], rows["IKU-02"]["Target akhir Renstra 2025-2029"]) == (
        "0,1", "0,1 (2029)")
    assert rows["IKU-01"]["Target akhir Renstra 2025-2029"] == "20,00 (2029)"  # LKIP 2025 Tabel 3.4


def test_realisasi_anggaran_per_program_and_key_indicator_is_the_marts(page, served):
    shown = [r for table in ("anggaran-program", "anggaran-iku") for r in page.tables[table]]
    marts = query(served, """
        select b.kode, b.pagu_murni, b.pagu, b.realisasi, b.serapan_pct, lalu.realisasi, lalu.serapan_pct
        from marts.fct_budget_quarterly b
        left join marts.fct_budget_quarterly lalu on lalu.level = b.level and lalu.kode = b.kode
            and lalu.tahun = 2024 and lalu.triwulan = 4
        where b.tahun = 2025 and b.triwulan = 4 and b.level in ('program', 'total', 'iku')""")
    rows = by(shown, "data-kode")
    assert set(rows) == {m[0] for m in marts} and len(rows) == 11
    columns = ["Pagu murni", "Pagu setelah perubahan", "Realisasi s/d TW IV 2025", "Serapan",
               "Realisasi s/d TW IV 2024", "Serapan 2024"]
    for kode, *figures in marts:
        assert [number(rows[kode][c]) for c in columns] == figures, kode
    total = rows["2.17"]
    assert [total[c] for c in columns[1:4]] == ["Rp 12.545.556.074", "Rp 10.418.539.476", "83,05%"]


def test_the_lkip_2025_figures_are_the_corrected_ones_with_the_printed_ones_noted(page):
    indicators = by(page.tables["capaian-kinerja"], "data-kode")
    assert indicators["PRG-05"]["Capaian"] == "164,59%"
    assert "LKIP 2025 Tabel 3.6 mencetak capaian 144,7%" in indicators["PRG-05"]["Indikator kinerja"]
    budget = by(page.tables["anggaran-program"] + page.tables["anggaran-iku"], "data-kode")
    for kode, program in LKIP["budget_2025"]["programs"].items():
        assert number(budget[kode]["Realisasi s/d TW IV 2025"]) == program["realisasi"], kode
        if "printed_in_3_15" in program:
            printed = f"Rp {program['printed_in_3_15']:,}".replace(",", ".")
            assert f"LKIP 2025 Tabel 3.15 mencetak realisasi {printed}" in budget[kode]["Program"], kode
    iku01 = LKIP["budget_2025"]["per_key_indicator"]["IKU-01"]
    assert number(budget["IKU-01"]["Realisasi s/d TW IV 2025"]) == iku01["realisasi"]
    assert "LKIP 2025 Tabel 3.7 mencetak realisasi Rp 914.028.030" in budget["IKU-01"]["Indikator kinerja utama"]
    assert "mencetak" not in indicators["IKU-01"]["Indikator kinerja"]  # Tabel 3.7's error is the budget's

    printed = {(r["data-kode"], r["data-angka"], number(r["Tercetak"]), number(r["Seharusnya"]), r["Jenis"])
               for r in page.tables["tercetak-berbeda"]}
    assert printed == {(kode, angka, p, right, "salah cetak") for _, kode, angka, p, right in printed_errors()}


def test_efisiensi_is_the_marts(page, served):
    marts = query(served, """
        select e.kode_sub_kegiatan, e.keluaran, e.jumlah_kegiatan, e.jumlah_keluaran, e.realisasi,
            e.biaya_per_keluaran, lalu.jumlah_keluaran, lalu.biaya_per_keluaran
        from marts.fct_efisiensi_quarterly e
        left join marts.fct_efisiensi_quarterly lalu on lalu.kode_sub_kegiatan = e.kode_sub_kegiatan
            and lalu.keluaran = e.keluaran and lalu.tahun = 2024 and lalu.triwulan = 4
        where e.tahun = 2025 and e.triwulan = 4""")
    linked = by(page.tables["efisiensi"], "data-kode", "data-keluaran")
    unlinked = by(page.tables["tanpa-sub-kegiatan"], "data-keluaran")
    assert len(linked) == 8 and len(linked) + len(unlinked) == len(marts)
    for kode, keluaran, kegiatan, jumlah, realisasi, biaya, jumlah_lalu, biaya_lalu in marts:
        if kode is None:
            row = unlinked[keluaran]
            assert (number(row["Kegiatan"]), number(row["Jumlah keluaran"])) == (kegiatan, jumlah), keluaran
            continue
        row = linked[(kode, keluaran)]
        assert [number(row[c]) for c in ("Jumlah keluaran", "Realisasi", "Biaya per keluaran",
                                         "Jumlah s/d TW IV 2024", "Biaya per keluaran 2024")] == [
            jumlah, realisasi, biaya, jumlah_lalu, biaya_lalu], kode
    trained = linked[("2.17.07.2.01.0004", "UMKM dilatih")]
    assert (trained["Jumlah keluaran"], trained["Biaya per keluaran"]) == ("402 usaha", "Rp 997.504")


def test_kualitas_data_shows_the_latest_checks_and_the_rejected_rows_per_source(page, demo_home):
    latest = query(demo_home / "quality" / "results.duckdb", """
        select layer, count(distinct suite), count(*), count(*) filter (where success),
            count(*) filter (where not success and severity = 'blocking'),
            count(*) filter (where not success and severity = 'warning')
        from (select * from results qualify validated_at = max(validated_at) over (partition by suite))
        group by layer""")
    checks = by(page.tables["pemeriksaan"], "data-lapisan")
    assert set(checks) == {"raw", "staging", "marts"}
    for layer, *counts in latest:
        row = checks[layer]
        assert [number(row[c]) for c in ("Suite", "Ekspektasi diperiksa", "Lolos", "Gagal (memblokir)",
                                         "Peringatan")] == counts, layer
    warnings = {r["Ekspektasi"] for r in page.tables["temuan"]}
    assert "every printed figure agrees with the warehouse's (the report's errors show here)" in warnings

    rejected = query(demo_home / "events.duckdb", """
        select source || '/' || kind, count(*), sum(rows_read), sum(rows_rejected)
        from ingest.batches where status = 'ingested' group by all""")
    rows = by(page.tables["penolakan"], "data-sumber")
    assert {k: [number(rows[k][c]) for c in ("Berkas", "Baris dibaca", "Baris ditolak")] for k in rows} == {
        kind: [files, read, bad] for kind, files, read, bad in rejected}
    assert sum(number(r["Baris ditolak"]) for r in rows.values()) == 10
    assert len(page.tables["baris-ditolak"]) == 10  # the quarantined cells, values left to `kumkm rejects`


def test_sumber_data_lists_the_files_the_figures_rest_on(page, demo_home):
    batches = query(demo_home / "events.duckdb", "select source || '/' || kind, file_name, extracted_on "
                    "from ingest.batches where status = 'ingested'")
    shown = {(r["Sumber"], r["Berkas"], r["Tanggal ekstraksi"]) for r in page.tables["sumber-data"]}
    assert shown == {(kind, name, f"{day.day} {BULAN[day.month - 1]} {day.year}") for kind, name, day in batches}
    assert ("manual/publikasi", "publikasi_20260131_lkip2025.csv", "31 Januari 2026") in shown


def test_the_page_is_self_contained_and_in_bahasa_indonesia(report):
    html = report.read_text(encoding="utf-8")
    assert '<html lang="id">' in html
    assert """content="default-src 'none'; style-src 'unsafe-inline'""" in html
    assert not re.search(r"<script|<link|<img|<iframe|<object|@import|url\(|\bsrc=", html, re.I)
    assert set(re.findall(r'href="([^"]*)"', html)) == {f"#{s}" for s in SECTIONS}
    namespaces = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= namespaces
    for heading in ("1. Capaian Kinerja", "2. Realisasi Anggaran", "3. Efisiensi", "4. Kualitas Data", "5. Sumber Data"):
        assert heading in html


def test_every_chart_is_drawn(page):
    expected = {f"capaian-{kode}" for kode in LKIP["indicators"]} | {"serapan", "efisiensi"}
    assert set(page.charts) == expected
    for name, svg in page.charts.items():
        assert svg.startswith("<svg") and "role-mark" in svg and "<path" in svg, name
    bars = [s for n, s in page.charts.items() if n.startswith("capaian-")]
    assert all("mark-rect" in s for s in bars) and "mark-line" in page.charts["serapan"]


# --- in a browser ----------------------------------------------------------------------------------

CHARTS_DRAWN = """[...document.querySelectorAll('figure[data-grafik]')].map(f => {
    const svg = f.querySelector('svg'), box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return [f.dataset.grafik, box.width > 100 && box.height > 60 && svg.querySelectorAll('.role-mark path').length > 0];
})"""


def problems(browser: Browser, page: Path) -> list[str]:
    """What is wrong with the page as the browser shows it: any request beyond the file itself, a
    chart that is not drawn, a section that is not there."""
    found = [f"fetched {url}" for url in browser.requests() if url != page.resolve().as_uri()]
    charts = dict(browser.evaluate(CHARTS_DRAWN))
    found += [f"chart {name} not drawn" for name, drawn in charts.items() if not drawn]
    found += [f"chart capaian-{kode} missing" for kode in LKIP["indicators"] if f"capaian-{kode}" not in charts]
    found += [f"chart {name} missing" for name in ("serapan", "efisiensi") if name not in charts]
    shown = browser.evaluate(f"{SECTIONS}.filter(s => (document.getElementById(s) || {{}}).offsetHeight > 100)")
    return found + [f"section {s} not shown" for s in SECTIONS if s not in shown]


needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"the browser test needs {CHROMIUM}")


@needs_chromium
def test_a_browser_shows_every_section_and_chart_and_fetches_nothing(report):
    with Browser(width=1440) as browser:
        browser.open(report)
        assert problems(browser, report) == []
        for section in SECTIONS:
            shot = ARTIFACTS / f"laporan-kinerja-2025Q4-{section}.png"
            browser.screenshot(f"#{section}", shot)
            assert shot.stat().st_size > 20_000, section


@needs_chromium
def test_the_browser_check_catches_a_fetch_and_a_missing_chart(report, tmp_path):
    html = report.read_text(encoding="utf-8")
    start = html.index('<figure class="grafik" data-grafik="capaian-PRG-05">')
    broken = (html[:start] + html[html.index("</figure>", start) + len("</figure>"):]).replace(
        "</header>", '<img src="https://bekasikota.go.id/logo.png" alt=""></header>', 1)
    page = tmp_path / "rusak.html"
    page.write_text(broken, encoding="utf-8")
    with Browser() as browser:
        browser.open(page)
        assert problems(browser, page) == ["fetched https://bekasikota.go.id/logo.png", "chart capaian-PRG-05 missing"]


def test_the_report_command_writes_where_asked_and_says_so(demo_home, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kumkm.cli import main

    monkeypatch.setenv("KUMKM_HOME", str(demo_home))
    out = tmp_path / "laporan.html"
    done = CliRunner().invoke(main, ["report", "--quarter", "2025Q3", "--format", "html", "--out", str(out)])
    assert done.exit_code == 0 and done.output == f"laporan kinerja 2025Q3: {out}\n"
    page = Page(out.read_text(encoding="utf-8"))
    assert "Realisasi s/d TW III 2025" in page.tables["capaian-kinerja"][0]
    assert [(number(by(page.tables["anggaran-program"], "data-kode")["2.17"]["Serapan"]),)] == query(
        demo_home / "serving.duckdb", "select serapan_pct from marts.fct_budget_quarterly "
        "where level = 'total' and tahun = 2025 and triwulan = 3")
    assert not (demo_home / "reports" / "laporan_kinerja_2025Q3.html").exists()


def test_indonesian_number_formats():
    from kumkm.angka import angka, persen, rupiah

    assert rupiah(Decimal("12545556074.00")) == "Rp 12.545.556.074"
    assert rupiah(Decimal("1205908800.50")) == "Rp 1.205.908.800,50"
    assert rupiah(Decimal("-1250000")) == "Rp -1.250.000"
    assert persen(Decimal("83.05")) == "83,05%" and persen(None) == "–"
    assert angka(Decimal("0.1000"), 1) == "0,1" and angka(Decimal("97.7"), 2) == "97,70"
    assert angka(Decimal("13.985"), 2) == "13,99" and angka(8303) == "8.303"
