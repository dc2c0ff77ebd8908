"""The report's charts: Vega-Lite specifications built with Altair and rendered to SVG by vl-convert,
whose JavaScript engine ships inside its wheel, so nothing is fetched to draw or to show them."""
from __future__ import annotations

import altair as alt
import vl_convert

from kumkm.angka import ROMAWI

# d3-format's locale for Indonesian: 12.545.556.074,50 and Rp before amounts (format "$,.0f").
LOKAL = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]}
TRIWULAN = [f"TW {r}" for r in ROMAWI.values()]
WARNA_TAHUN_LALU, WARNA_TAHUN_INI, WARNA_TARGET = "#aab7c4", "#1f5f99", "#c0392b"
WARNA_PROGRAM = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
TEMA = {"font": "Segoe UI, Helvetica, Arial, sans-serif", "view": {"stroke": None},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal"}}


def svg(chart: alt.TopLevelMixin) -> str:
    return vl_convert.vegalite_to_svg(chart.configure(**TEMA).to_dict(), format_locale=LOKAL)


def warna_tahun(tahun: int) -> alt.Scale:
    return alt.Scale(domain=[str(tahun - 1), str(tahun)], range=[WARNA_TAHUN_LALU, WARNA_TAHUN_INI])


def grafik_capaian(titik: list[dict], target: float | None, satuan: str, desimal: int, tahun: int) -> str:
    """Realisasi per quarter of the year and of the year before (bars, points {triwulan: "TW I",
    tahun: "2025", realisasi}), against the year's target (dashed line)."""
    tahun_ini = alt.datum.tahun == str(tahun)
    batang = alt.Chart(alt.Data(values=titik)).encode(
        x=alt.X("triwulan:N", scale=alt.Scale(domain=TRIWULAN), title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("tahun:N", scale=alt.Scale(domain=[str(tahun - 1), str(tahun)])),
        y=alt.Y("realisasi:Q", title=satuan, axis=alt.Axis(tickCount=4)),
    )
    lapisan = [
        batang.mark_bar().encode(color=alt.Color("tahun:N", scale=warna_tahun(tahun), legend=None)),
        batang.mark_text(dy=-5, fontSize=10).encode(text=alt.Text("realisasi:Q", format=f",.{desimal}f"))
        .transform_filter(tahun_ini),
    ]
    if target is not None:
        lapisan.append(alt.Chart(alt.Data(values=[{"target": target}]))
                       .mark_rule(color=WARNA_TARGET, strokeDash=[5, 3], strokeWidth=2).encode(y="target:Q"))
    return svg(alt.layer(*lapisan).properties(width=250, height=140))


def grafik_serapan(titik: list[dict], seri: list[str]) -> str:
    """Absorption (serapan %) through the quarters (points {triwulan, seri, jenis, serapan}): a line
    per program and the department's total this year (jenis program, total) and last year (lalu)."""
    garis = alt.Chart(alt.Data(values=titik)).mark_line(point=True).encode(
        x=alt.X("triwulan:N", scale=alt.Scale(domain=TRIWULAN), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("serapan:Q", title="Serapan (%)", axis=alt.Axis(format=",.0f")),
        color=alt.Color("seri:N", scale=alt.Scale(domain=seri, range=WARNA_PROGRAM + ["#111111", "#8a8a8a"]),
                        legend=alt.Legend(title=None, labelLimit=360, symbolType="stroke")),
        strokeDash=alt.StrokeDash("jenis:N", scale=alt.Scale(domain=["program", "total", "lalu"],
                                                             range=[[1, 0], [1, 0], [6, 4]]), legend=None),
        strokeWidth=alt.StrokeWidth("jenis:N", scale=alt.Scale(domain=["program", "total", "lalu"],
                                                               range=[1.5, 3.5, 2.5]), legend=None),
    )
    return svg(garis.properties(width=560, height=280))


def grafik_efisiensi(titik: list[dict], tahun: int) -> str:
    """Rupiah per output of each sub-activity (points {keluaran, tahun, biaya}), this year beside the
    same quarter of last year."""
    urutan = list(dict.fromkeys(t["keluaran"] for t in titik))
    batang = alt.Chart(alt.Data(values=titik)).encode(
        y=alt.Y("keluaran:N", sort=urutan, title=None, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset("tahun:N", scale=alt.Scale(domain=[str(tahun - 1), str(tahun)])),
        x=alt.X("biaya:Q", title="Rupiah per keluaran", axis=alt.Axis(format="$,.0f", tickCount=5)),
    )
    return svg(alt.layer(
        batang.mark_bar().encode(color=alt.Color("tahun:N", scale=warna_tahun(tahun),
                                                 legend=alt.Legend(title=None, orient="bottom"))),
        batang.mark_text(align="left", dx=3, fontSize=10).encode(text=alt.Text("biaya:Q", format="$,.0f")),
    ).properties(width=460, height=alt.Step(14)))
