"""Issue 12 on a copy of the demo warehouse: `kumkm publish`, a later correction as a restatement
with its cause, and `report --as-known-at` giving the published figures to the digit."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import INDIKATOR_HEADER, RAT_HEADER, query, write_csv
from kumkm.audit import classify_printed
from kumkm.home import Home
from kumkm.sample_data import LKIP_2025_ERRORS
from kumkm.refresh import refresh

KUMKM = Path(sys.executable).parent / "kumkm"


def on_a_terminal(home: Path, *args: str) -> tuple[int, str, str]:
    """`kumkm` in a subprocess whose stderr is a terminal (a pty): returns exit code, stdout, stderr."""
    main, terminal = os.openpty()
    process = subprocess.Popen([str(KUMKM), *args], env={**os.environ, "KUMKM_HOME": str(home)},
                               stdout=subprocess.PIPE, stderr=terminal, text=True)
    os.close(terminal)
    said = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed with the process
                return
            if not chunk:
                return
            said.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    out, _ = process.communicate(timeout=600)
    reader.join()
    os.close(main)
    return process.returncode, out, b"".join(said).decode().replace("\r\n", "\n")


def served_2025q2(home: Path) -> list[tuple]:
    return query(home / "serving.duckdb", """
        select kode_indikator, numerator, denominator, nilai, nilai_dibulatkan, target, capaian_pct, predikat,
            known_at
        from marts.fct_indicator_quarterly where tahun = 2025 and triwulan = 2 order by kode_indikator""")


def rat_correction(home: Path, folder: Path) -> tuple[Path, str]:
    """A re-delivered RAT report of a cooperative's book year 2024 (held in January 2025) with
    50 billion more business volume: a later correction of 2025Q2's volume growth."""
    [row] = query(home / "events.duckdb", f"""
        select {', '.join(RAT_HEADER)}, record_key from ods.rat
        where source_file = 'rat_20250331.xlsx' and row_number = 3""")
    values = list(row[:-1])
    values[RAT_HEADER.index("tanggal_rat")] = values[RAT_HEADER.index("tanggal_rat")].strftime("%d/%m/%Y")
    values[RAT_HEADER.index("volume_usaha")] += 50_000_000_000
    return write_csv(folder / "ods" / "rat_20260305_koreksi.csv", RAT_HEADER, [values]), row[-1]


def test_a_published_quarter_stays_reproducible_and_a_later_correction_is_a_restatement(warehouse, kumkm, tmp_path):
    before = served_2025q2(warehouse)
    report_before = json.loads(kumkm("report", "--quarter", "2025Q2", "--format", "json").output)

    published = kumkm("publish", "--quarter", "2025Q2", "--dokumen", "Laporan Kinerja TW II 2025")
    assert published.exit_code == 0, published.output
    k = before[0][-1]
    assert f"as known at {k.isoformat(sep=' ')} UTC" in published.output
    assert query(warehouse / "serving.duckdb", """
        select kode_indikator, numerator, denominator, nilai, nilai_dibulatkan, target, capaian_pct, predikat,
            known_at
        from marts.fct_indicator_published where dokumen = 'Laporan Kinerja TW II 2025'
        order by kode_indikator""") == before

    corrections = tmp_path / "koreksi"
    manual = write_csv(corrections / "manual" / "indikator_20260301_koreksi.csv", INDIKATOR_HEADER,
                       [["PRG-01C", 2025, 2, "97,15", "BPKAD Kota Bekasi"]])
    rat, rat_key = rat_correction(warehouse, corrections)
    # the published report as printed, typed in after the corrections arrived: it is known at the
    # publication's K, not by its issue date
    write_csv(corrections / "manual" / "publikasi_20260310_tw2.csv",
              ["dokumen", "tanggal_terbit", "tabel", "kode", "tahun", "triwulan", "nilai"],
              [["Laporan Kinerja TW II 2025", "2026-03-10", "Tabel 2.1", "PRG-01C", 2025, 2, "96.2"]])
    assert kumkm("ingest", corrections).exit_code == 0
    code, out, progress = on_a_terminal(warehouse, "refresh", "--all")
    assert code == 0, out + progress
    assert "dbt [1] " in progress and "model fct_indicator_quarterly: success" in progress
    assert "quality: validating the suites" in progress and "publish: " in progress
    assert f"audit: Laporan Kinerja TW II 2025 as known when issued (publication 1, K {k})" in progress
    assert "audit: LKIP 2025 as known when issued (2026-01-31)" in progress  # the RAT feeds PRG-05
    audit = audited(kumkm)
    assert audit[("Tabel 2.1", "PRG-01C", "nilai")] == ("96.2", "97.15", "96.2", "koreksi susulan")
    assert audit[("Tabel 3.6", "PRG-05", "capaian")] == ("144.7", "164.59", "164.59", "salah cetak")

    restated = {r[0]: r[1:] for r in query(warehouse / "serving.duckdb", """
        select kode_indikator, nilai_terbit, nilai_kini, selisih, jumlah_penyebab, penyebab, penyebab_rinci
        from marts.fct_indicator_restatement where tahun = 2025 and triwulan = 2""")}
    assert restated["PRG-01C"][:5] == (Decimal("96.2"), Decimal("97.15"), Decimal("0.95"), 1,
                                       f"manual/{manual.name} row 2 (extracted 2026-03-01)")
    [cause] = restated["PRG-01C"][5]
    assert (cause["kind"], cause["record_key"], cause["source_file"], cause["row_number"]) == \
        ("indikator", "PRG-01C|2025|2", manual.name, 2)
    # the RAT correction restates the volume growths, and only it explains them
    assert {"PRG-06", "RPD-02"} <= set(restated)
    for code_ in set(restated) - {"PRG-01C"}:
        assert restated[code_][3:5] == (1, f"ods/{rat.name} row 2 (extracted 2026-03-05)"), code_
        assert restated[code_][5][0]["record_key"] == rat_key
    assert restated["PRG-06"][2] == restated["PRG-06"][1] - restated["PRG-06"][0] > 0
    unchanged = {r[0] for r in before} - set(restated)
    assert {"IKU-02", "PRG-01A", "PRG-01B", "RPD-01"} <= unchanged

    table = kumkm("report", "--quarter", "2025Q2").output.rstrip().splitlines()
    lines = [line for line in table if line.startswith("restated ")]
    assert table[-len(lines):] == lines and len(lines) == len(restated)
    assert (f"restated PRG-01C: published 96.2 in Laporan Kinerja TW II 2025 (known at {k:%Y-%m-%d %H:%M:%S}), "
            f"now 97.15 (+0.95); cause: manual/{manual.name} row 2 (extracted 2026-03-01)") in lines

    as_known = kumkm("report", "--quarter", "2025Q2", "--as-known-at", k.isoformat(sep=" "), "--format", "json")
    assert as_known.exit_code == 0, as_known.output
    recomputed = json.loads(as_known.output)
    assert recomputed["known_at"] == k.isoformat(sep=" ")
    assert recomputed["indicators"] == report_before["indicators"]
    assert recomputed["budget"] == report_before["budget"]
    assert served_2025q2(warehouse) != before  # the serving database kept the current figures


def audited(kumkm) -> dict[tuple, tuple]:
    """`kumkm audit --format json`: per printed figure that disagrees (tabel, kode, angka), the printed
    figure, today's, the one known when the report was issued, and the class."""
    return {(r["tabel"], r["kode"], r["angka"]): (r["tercetak"], r["dihitung"], r["dihitung_saat_terbit"],
                                                  r["jenis_selisih"])
            for r in json.loads(kumkm("audit", "--format", "json").output)}


def test_a_later_correction_of_a_printed_figure_is_no_printing_error(warehouse, kumkm, tmp_path):
    """The LKIP 2025 (issued 31 January 2026) printed RPD-01 as 78.24, the figure the inspectorate had
    delivered. A corrected figure extracted on 1 March 2026 makes the printed one disagree: a later
    correction, since the records extracted by the issue date gave 78.24. The report's eight printing
    errors stay printing errors. The figure then is kept for the next refreshes, until a file extracted
    by the issue date arrives late and changes it."""
    errors = {(tabel, kode, angka): (printed, right, right, "salah cetak")
              for tabel, kode, angka, printed, right in LKIP_2025_ERRORS}
    corrected = write_csv(tmp_path / "koreksi" / "manual" / "indikator_20260301_koreksi.csv", INDIKATOR_HEADER,
                          [["RPD-01", 2025, 4, "78,50", "Inspektorat Kota Bekasi"]])
    assert kumkm("ingest", corrected).exit_code == 0
    said = []
    refresh(Home(warehouse), progress=said.append)
    assert "audit: LKIP 2025 as known when issued (2026-01-31)" in said
    corrected_figure = ("Gambar 3.1", "RPD-01", "nilai")
    assert audited(kumkm) == {**errors, corrected_figure: ("78.24", "78.5", "78.24", "koreksi susulan")}
    table = kumkm("audit", "--dokumen", "LKIP 2025").output.splitlines()
    assert [line.split()[-2:] for line in table[3:]] == [["koreksi", "susulan"]] + [["salah", "cetak"]] * len(errors)
    assert query(warehouse / "serving.duckdb", "select tanggal_terbit, publication_id, berubah_sejak_terbit "
                 "from marts.fct_publikasi_audit where kode = 'RPD-01'") == [(date(2026, 1, 31), None, True)]

    said.clear()
    classify_printed(Home(warehouse), said.append)
    assert said == []  # kept: no scratch build, nothing built again

    # a figure extracted before the issue, delivered late: the warehouse had 78.30 then, not the printed one
    late = write_csv(tmp_path / "susulan" / "manual" / "indikator_20260115_susulan.csv", INDIKATOR_HEADER,
                     [["RPD-01", 2025, 4, "78,30", "Inspektorat Kota Bekasi"]])
    assert kumkm("ingest", late).exit_code == 0
    refresh(Home(warehouse), progress=said.append)
    assert "audit: LKIP 2025 as known when issued (2026-01-31)" in said
    assert audited(kumkm)[corrected_figure] == ("78.24", "78.5", "78.3", "salah cetak")


def test_publishing_twice_records_two_publications(warehouse, kumkm):
    for dokumen in ("Laporan Kinerja TW IV 2025", "LKIP 2025"):
        assert kumkm("publish", "--quarter", "2025Q4", "--dokumen", dokumen).exit_code == 0
    assert query(warehouse / "events.duckdb", "select publication_id, dokumen, tahun, triwulan "
                 "from publish.publications order by 1") == [
        (1, "Laporan Kinerja TW IV 2025", 2025, 4), (2, "LKIP 2025", 2025, 4)]
    per_publication = query(warehouse / "serving.duckdb", "select publication_id, count(*) from "
                            "marts.fct_indicator_published group by 1 order by 1")
    served = query(warehouse / "serving.duckdb", "select count(*) from marts.fct_indicator_quarterly "
                   "where tahun = 2025 and triwulan = 4")[0][0]
    assert per_publication == [(1, served), (2, served)]
    [(k,)] = query(warehouse / "serving.duckdb", "select distinct known_at from marts.fct_indicator_published")
    assert query(warehouse / "serving.duckdb", "select distinct publication_id, known_at_terbit "
                 "from marts.fct_publikasi_audit") == [(2, k)]  # the LKIP 2025 is known at its publication's K
    assert {jenis for *_, jenis in audited(kumkm).values()} == {"salah cetak"}
    assert query(warehouse / "serving.duckdb", "select count(*) from marts.fct_indicator_restatement") == [(0,)]
    assert not any(line.startswith("restated ") for line in kumkm("report", "--quarter", "2025Q4").output.splitlines())


def test_publishing_a_quarter_not_served_is_an_error(warehouse, kumkm):
    result = kumkm("publish", "--quarter", "2019Q1")
    assert result.exit_code == 1
    assert result.output == ("Error: the serving database holds no figures of 2019Q1: "
                             "run `kumkm refresh --quarter 2019Q1` first\n")
    assert query(warehouse / "events.duckdb", "select count(*) from information_schema.tables "
                 "where table_schema = 'publish'") == [(0,)]


def test_as_known_at_before_any_event_is_an_error(warehouse, kumkm):
    result = kumkm("report", "--quarter", "2025Q2", "--as-known-at", "2020-01-01 00:00:00")
    assert result.exit_code == 1
    assert result.output.startswith("Error: nothing was known at 2020-01-01 00:00:00 UTC: the first event was "
                                    "ingested at ")
    assert len(result.output.splitlines()) == 1
    assert kumkm("report", "--quarter", "2025Q2", "--as-known-at", "yesterday").exit_code == 2


def test_the_dagster_job_publishes_a_quarter(warehouse):
    from orchestration.automation import quarter_close
    from orchestration.definitions import defs

    job = defs.get_job_def("publish_quarter")
    result = job.execute_in_process(run_config={"ops": {"publish_served_quarter": {
        "config": {"quarter": "2025Q3", "dokumen": "Laporan Kinerja TW III 2025"}}}})
    assert result.success
    [event] = result.get_asset_materialization_events()
    assert event.materialization.partition == "2025-07-01"  # the quarter's partition of serving
    metadata = {k: v.value for k, v in event.materialization.metadata.items()}
    [(k,)] = query(warehouse / "serving.duckdb", "select distinct known_at from marts.fct_indicator_quarterly "
                   "where tahun = 2025 and triwulan = 3")
    assert metadata == {"publication_id": 1, "dokumen": "Laporan Kinerja TW III 2025", "quarter": "2025Q3",
                        "known_at": k.isoformat(sep=" ")}
    assert query(warehouse / "serving.duckdb", "select distinct publication_id, dokumen, known_at "
                 "from marts.fct_indicator_published") == [(1, "Laporan Kinerja TW III 2025", k)]
    assert quarter_close.job_name == "refresh_quarters"  # publishing is on request, never scheduled
