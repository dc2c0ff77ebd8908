"""Hostile and broken exports (issue 16): each file is ingested whole or refused whole with one line
naming it and the reason, the other files of the run still load, no traceback reaches the user,
nothing a library prints reaches the terminal, and no message carries a personal datum.

Each hostile file lies between two good ones: a budget version extracted before it and a figure
extracted after it.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from conftest import ANGGARAN_HEADER, INDIKATOR_HEADER, UMKM_HEADER, anggaran_row, query, write_csv, write_sheet
from ingestion.ingest import ingest

KUMKM = Path(sys.executable).parent / "kumkm"
NIK, HP, NAMA = "3275014101900001", "081234567788", "Siti Aminah"
PERSONAL = re.compile(r"\d{16}|08\d{8,11}|Siti Aminah|Mawar")


def kumkm_process(home: Path, *args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`kumkm` as an operator runs it: its own process, stdout and stderr apart."""
    return subprocess.run([str(KUMKM), *map(str, args)], env={**os.environ, "KUMKM_HOME": str(home)},
                          capture_output=True, text=True, timeout=600, cwd=cwd)


def umkm_row(i: int, **cells: str) -> list[str]:
    row = dict(id_umkm=f"U-{i}", nama_usaha="Warung Sari", nama_pemilik=NAMA, nik_pemilik=NIK, no_hp=HP,
               kecamatan="Jatiasih", sektor_usaha="Kuliner", skb="", tanggal_skb="", nib="", tanggal_nib="",
               omzet_tahunan="60.000.000", informal_pkl="Ya", tdu_pkl="", status_usaha="Aktif",
               tanggal_pendataan="01/03/2025")
    return list({**row, **cells}.values())


def between_good_ones(landing: Path) -> None:
    """A budget version before the hostile file and a figure after it, both good."""
    write_csv(landing / "ledger" / "anggaran_20250101.csv", ANGGARAN_HEADER,
              [anggaran_row(f"2.17.01.2.02.{i:04d}", 1_000 * i) for i in range(1, 4)])
    write_csv(landing / "manual" / "indikator_20261231.csv", INDIKATOR_HEADER,
              [["RPD-01", 2025, 4, "78,24", "Inspektorat"]])


def refused_whole(home: Path, landing: Path, name: str) -> str:
    """Ingests the landing folder as an operator would; checks that the file alone was refused, in one
    line on stderr, with nothing of it stored and nothing personal said; returns its reason."""
    done = kumkm_process(home, "ingest", landing)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    refused = [line for line in done.stderr.splitlines() if line.startswith("REFUSED")]
    assert len(refused) == 1 and refused[0].startswith("REFUSED ") and name in refused[0], done.stderr
    assert not PERSONAL.search(done.stdout + done.stderr), done.stdout + done.stderr
    assert len(done.stdout) < 2_000, done.stdout[:3_000]  # the summary, not what a library printed
    batches = query(home / "events.duckdb", "select file_name, status, reason from ingest.batches order by 1")
    assert [(f, s) for f, s, _ in batches] == [("anggaran_20250101.csv", "ingested"),
                                               ("indikator_20261231.csv", "ingested"), (name, "refused")]
    reason = batches[-1][2]
    assert refused[0].endswith(f"{name}: {reason}") and len(reason) <= 300 and not PERSONAL.search(reason)
    stored = query(home / "events.duckdb", "select (select count(*) from sip3.umkm), (select count(*) from "
                   "ledger.anggaran), (select count(*) from manual.indikator), (select count(*) from ingest.quarantine)")
    assert stored == [(0, 3, 1, 0)]
    return reason


def rewritten(path: Path, member: str, change) -> Path:
    """The zip (xlsx, ods) with one member's bytes changed by `change`, every other member as it was."""
    with zipfile.ZipFile(path) as z:
        members = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in members:
            z.writestr(info, change(data) if info.filename == member else data)
    return path


UMKM_ROWS = [umkm_row(i) for i in range(1, 104)]


def cut(data: bytes) -> bytes:
    """The XML cut after its 51st row, as a download that stopped would leave it."""
    rows = [m.end() for m in re.finditer(rb"</table:table-row>|</row>", data)]
    return data[:rows[50] + 7]


def ampersand(data: bytes) -> bytes:
    """One unescaped & in the 64th row's first text."""
    text = data.decode()
    at = [m.start() for m in re.finditer("U-64<", text)][0]
    return (text[:at] + "U&64" + text[at + 4:]).encode()


@pytest.mark.parametrize("ext, member", [("ods", "content.xml"), ("xlsx", "xl/worksheets/sheet1.xml")])
@pytest.mark.parametrize("damage", [cut, ampersand])
def test_a_spreadsheet_whose_xml_is_cut_or_broken_is_refused_whole_printing_nothing(home, tmp_path, ext, member,
                                                                                     damage):
    landing = tmp_path / "landing"
    between_good_ones(landing)
    path = write_sheet(landing / "sip3" / f"umkm_20250301.{ext}", UMKM_HEADER, UMKM_ROWS, "umkm")
    rewritten(path, member, damage)
    reason = refused_whole(home, landing, path.name)
    assert reason.startswith(f"cut or broken spreadsheet: {member} is not well-formed XML (line "), reason


def test_a_budget_version_in_an_ods_cut_short_gives_no_sub_activity_pagu_0(home, tmp_path):
    """The contract takes a budget version as complete: read in part, it would zero the lines after the cut."""
    landing = tmp_path / "landing"
    write_csv(landing / "ledger" / "anggaran_20250101.csv", ANGGARAN_HEADER,
              [anggaran_row(f"2.17.01.2.02.{i:04d}", 1_000 * i) for i in range(1, 104)])
    later = write_sheet(landing / "ledger" / "anggaran_20250201.ods", ANGGARAN_HEADER,
                        [anggaran_row(f"2.17.01.2.02.{i:04d}", 2_000 * i) for i in range(1, 104)], "anggaran")
    rewritten(later, "content.xml", cut)
    results = {r.path.name: r for r in ingest([landing], home / "events.duckdb")}
    assert results["anggaran_20250201.ods"].status == "refused"
    assert query(home / "events.duckdb", "select count(*), count(*) filter (where pagu = 0) from ledger.anggaran") == [
        (103, 0)]


def test_a_cut_xlsx_between_good_ones_names_no_library_error(home, tmp_path):
    landing = tmp_path / "landing"
    between_good_ones(landing)
    path = write_sheet(landing / "sip3" / "umkm_20250301.xlsx", UMKM_HEADER, UMKM_ROWS, "umkm")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert refused_whole(home, landing, path.name) == "not a spreadsheet: the XLSX file is not a whole zip archive"


def umkm_csv(landing: Path, rows: list[list[str]], name: str = "umkm_20250301.csv", **options) -> Path:
    return write_csv(landing / "sip3" / name, UMKM_HEADER, rows, delimiter=";", **options)


@pytest.mark.parametrize("blank_line", [False, True], ids=["read in parallel", "read row by row"])
def test_a_latin_1_csv_is_refused_as_not_utf_8_naming_the_line(home, tmp_path, blank_line):
    landing = tmp_path / "landing"
    between_good_ones(landing)
    rows = [umkm_row(i) for i in range(1, 6)]
    rows[2][5] = "Bekasi Utara Caf\u00e9"
    path = umkm_csv(landing, rows)
    text = path.read_text(encoding="utf-8") + ("\n" if blank_line else "")
    path.write_bytes(text.encode("latin-1"))
    assert refused_whole(home, landing, path.name) == \
        "not UTF-8 text: line 4 holds a byte that is not UTF-8 (save the export as CSV UTF-8)"


def test_garbage_bytes_with_an_empty_line_are_refused(home, tmp_path):
    landing = tmp_path / "landing"
    between_good_ones(landing)
    path = landing / "sip3" / "umkm_20250301.csv"
    path.parent.mkdir()
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n\n\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    assert refused_whole(home, landing, path.name) == \
        "not UTF-8 text: line 1 holds a byte that is not UTF-8 (save the export as CSV UTF-8)"


@pytest.mark.parametrize("blank_line", [False, True], ids=["read in parallel", "read row by row"])
def test_a_cell_over_128_kib_is_read_either_way(home, tmp_path, blank_line):
    landing = tmp_path / "landing"
    rows = [umkm_row(i) for i in range(1, 4)]
    rows[1][6] = "Kuliner " * 20_000  # 160 KB, over the 128 KiB of Python's csv module
    path = umkm_csv(landing, rows)
    if blank_line:
        path.write_text(path.read_text() + "\n")
    (result,) = ingest([landing], home / "events.duckdb")
    assert (result.status, result.rows_read, result.rows_added) == ("ingested", 3, 3), result.reason
    assert query(home / "events.duckdb", "select max(length(sektor_usaha)) from sip3.umkm") == [(159_999,)]


@pytest.mark.parametrize("blank_line", [False, True], ids=["read in parallel", "read row by row"])
def test_a_line_over_2_mb_is_refused_without_quoting_it(home, tmp_path, blank_line):
    landing = tmp_path / "landing"
    between_good_ones(landing)
    rows = [umkm_row(i) for i in range(1, 6)]
    rows[2][6] = f"{NAMA} {NIK} {HP} Jl. Mawar 1 " * 60_000  # 3 MB
    path = umkm_csv(landing, rows)
    if blank_line:
        path.write_text(path.read_text() + "\n")
    assert refused_whole(home, landing, path.name) == "line 4 is longer than 2,000,000 bytes"


def test_a_refused_csv_quotes_no_row(home, tmp_path):
    """DuckDB's message quotes the line it could not read: a row of personal data."""
    landing = tmp_path / "landing"
    between_good_ones(landing)
    rows = [umkm_row(i) for i in range(1, 30_001)]
    rows[25_000].append("Jl. Mawar 1")  # past the rows DuckDB samples
    path = umkm_csv(landing, rows)
    assert refused_whole(home, landing, path.name) == "row 25002 has values beyond the header's 16 columns"


# --- one rule for the three formats --------------------------------------------------------------


@pytest.mark.parametrize("ext", ["csv", "xlsx", "ods"])
def test_a_header_named_twice_after_normalising_is_refused_in_every_format(home, tmp_path, ext):
    landing = tmp_path / "landing"
    path = landing / "ledger" / f"realisasi_20250301.{ext}"
    header = ["tahun_anggaran", "no_sp2d", "tanggal_sp2d", "kode_sub_kegiatan", "kode_rekening", "Nilai", "NILAI"]
    row = ["2025", "SP2D-1", "05/03/2025", "2.17.01.2.02.0001", "5.1.02.01.01.0024", "1.000", "2.000"]
    if ext == "csv":
        write_csv(path, header, [row], delimiter=";")
    else:
        write_sheet(path, header, [row], "realisasi")
    (result,) = ingest([landing], home / "events.duckdb")
    assert (result.status, result.reason) == ("refused", "column 'nilai' appears twice in the header")


EXTRA_FIELD_FILES = {  # rows past the header's width: on an early row, a late row, and with a blank line
    "early": (2, False), "late": (25_000, False), "with a blank line": (2, True)}


@pytest.mark.parametrize("ext, where", [("csv", where) for where in EXTRA_FIELD_FILES] + [
    ("xlsx", "early"), ("ods", "early")])  # a spreadsheet has no sampled or blank-line reading of its own
def test_a_row_with_a_value_beyond_the_header_is_refused_in_every_format(home, tmp_path, ext, where):
    at, blank_line = EXTRA_FIELD_FILES[where]
    landing = tmp_path / "landing"
    rows = [["RPD-01", 2020 + i % 6, 1 + i % 4, "78,24", f"Inspektorat {i}"] for i in range(at + 10)]
    rows[at - 2] = rows[at - 2] + ["lebih"]
    path = landing / "manual" / f"indikator_20260101.{ext}"
    if ext == "csv":
        write_csv(path, INDIKATOR_HEADER, rows)
        if blank_line:
            path.write_text(path.read_text() + "\n")
    else:
        write_sheet(path, INDIKATOR_HEADER + [""], [r + [None] * (6 - len(r)) for r in rows], "indikator")
    (result,) = ingest([landing], home / "events.duckdb")
    assert (result.status, result.reason) == ("refused", f"row {at} has values beyond the header's 5 columns")


@pytest.mark.parametrize("blank_line", [False, True])
def test_a_csv_whose_rows_end_in_an_empty_field_is_read_like_a_spreadsheet(home, tmp_path, blank_line):
    landing = tmp_path / "landing"
    path = landing / "manual" / "indikator_20260101.csv"
    path.parent.mkdir(parents=True)
    path.write_text("kode_indikator;tahun;triwulan;nilai;sumber;\nRPD-01;2025;4;78,24;Inspektorat;\n"
                    + ("\n" if blank_line else ""))
    (result,) = ingest([landing], home / "events.duckdb")
    assert (result.status, result.rows_read, result.rows_added) == ("ingested", 1, 1), result.reason
    assert query(home / "events.duckdb", "select extra from manual.indikator") == [(None,)]


@pytest.mark.parametrize("ext", ["csv", "xlsx", "ods"])
def test_an_empty_file_is_refused_as_empty(home, tmp_path, ext):
    path = tmp_path / "landing" / "manual" / f"indikator_20260101.{ext}"
    path.parent.mkdir(parents=True)
    if ext == "csv":
        path.write_bytes(b"")
    else:
        write_sheet(path, [], [], "indikator")
    (result,) = ingest([tmp_path / "landing"], home / "events.duckdb")
    assert (result.status, result.reason) == ("refused", "the file is empty: no header row")


def test_links_are_followed_inside_the_landing_folder_only_and_every_skipped_entry_is_named(home, tmp_path):
    landing, outside = tmp_path / "landing", tmp_path / "elsewhere"
    between_good_ones(landing)
    secret = write_csv(outside / "sip3" / "umkm_20250301.csv", UMKM_HEADER, [umkm_row(1)], delimiter=";")
    (landing / "sip3").mkdir()
    (landing / "sip3" / "umkm_20250301.csv").symlink_to(secret)
    (landing / "sip3" / "umkm_20250302.csv").symlink_to(tmp_path / "gone.csv")
    (landing / "manual" / "indikator_20270101.csv").symlink_to(landing / "manual" / "indikator_20261231.csv")
    (landing / "manual" / ".~lock.indikator_20261231.csv#").write_text("x")
    os.mkfifo(landing / "manual" / "indikator_20270202.csv")
    done = kumkm_process(home, "ingest", landing)
    assert done.returncode == 0, done.stderr
    skipped = sorted(line for line in done.stderr.splitlines() if line.startswith("SKIPPED"))
    assert skipped == [
        f"SKIPPED {landing}/manual/.~lock.indikator_20261231.csv#: a hidden or lock file",
        f"SKIPPED {landing}/manual/indikator_20270202.csv: not a regular file",
        f"SKIPPED {landing}/sip3/umkm_20250301.csv: a link to outside the folder ingested",
        f"SKIPPED {landing}/sip3/umkm_20250302.csv: a link to nothing"], done.stderr
    assert query(home / "events.duckdb", "select file_name, status from ingest.batches order by 1") == [
        ("anggaran_20250101.csv", "ingested"), ("indikator_20261231.csv", "ingested"),
        ("indikator_20270101.csv", "already_ingested")]
    assert query(home / "events.duckdb", "select count(*) from sip3.umkm") == [(0,)]


def test_a_file_named_from_inside_its_source_folder_keeps_its_source(home, tmp_path):
    landing = tmp_path / "landing"
    between_good_ones(landing)
    done = kumkm_process(home, "ingest", "anggaran_20250101.csv", cwd=landing / "ledger")
    assert done.returncode == 0, done.stderr
    assert query(home / "events.duckdb", "select source, file_name, status from ingest.batches") == [
        ("ledger", "anggaran_20250101.csv", "ingested")]


def test_a_home_whose_path_holds_a_quote_ingests(tmp_path):
    home = tmp_path / "rumah d'inas" / "home"
    landing = tmp_path / "land'ing"
    between_good_ones(landing)
    done = kumkm_process(home, "ingest", landing)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert query(home / "events.duckdb", "select count(*) from ingest.batches where status = 'ingested'") == [(2,)]


def test_a_lock_taken_between_the_ingest_and_its_validation_is_one_line(home, tmp_path, kumkm, monkeypatch):
    """Another process opening the event store for writing just after the ingest committed."""
    import kumkm.cli as cli

    between_good_ones(tmp_path / "landing")
    holder = []

    def validated_after_a_lock(home_, batch_ids):
        holder.append(hold(home_.events_db))
        return validate(home_, batch_ids)

    validate = cli.validate_batches
    monkeypatch.setattr(cli, "validate_batches", validated_after_a_lock)
    try:
        result = kumkm("ingest", tmp_path / "landing")
    finally:
        for process in holder:
            process.kill()
            process.wait()
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {home / 'events.duckdb'} is in use by another process (PID {holder[0].pid}): "
        "wait for it to finish, or end it")


def hold(database: Path) -> subprocess.Popen:
    """Another process holding the database open for writing, until killed."""
    process = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; held = duckdb.connect(sys.argv[1]); "
                                "print('held', flush=True); time.sleep(600)", str(database)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "held\n"
    return process


# --- personal data in messages and in the CSV written ------------------------------------------------


def test_a_refused_row_masked_in_messages_and_the_registry(home, tmp_path):
    """A duplicate header quoting personal data, refused: its message masks the NIK and phone number."""
    landing = tmp_path / "landing"
    between_good_ones(landing)
    header = UMKM_HEADER + [f"catatan {NIK} {HP}", f"Catatan {NIK} {HP}"]
    path = write_csv(landing / "sip3" / "umkm_20250301.csv", header, [umkm_row(1) + ["", ""]], delimiter=";")
    assert refused_whole(home, landing, path.name) == \
        "column 'catatan_3275********0001_0812****7788' appears twice in the header"


def test_rejects_as_csv_neutralise_formulas_and_mask_personal_data(home, tmp_path, kumkm):
    landing = tmp_path / "landing"
    rows = [umkm_row(1, kecamatan="=cmd|' /C calc'!A0"), umkm_row(2, kecamatan="@SUM(1+1)"),
            umkm_row(3, omzet_tahunan="-1+2"), umkm_row(4, nik_pemilik="+62 812 3456 7788")]
    umkm_csv(landing, rows)
    kumkm("ingest", landing)
    out = kumkm("rejects", "--format", "csv").output
    assert [(r["row_number"], r["column_name"], r["raw_value"]) for r in csv.DictReader(io.StringIO(out))] == [
        ("2", "kecamatan", "'=cmd|' /C calc'!A0"), ("3", "kecamatan", "'@SUM(1+1)"),
        ("4", "omzet_tahunan", "'-1+2"), ("5", "nik_pemilik", "'+62 *********7788")]
    assert "row_number,column_name" in out.splitlines()[0] and ",2," in out  # numbers stay numbers


FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def test_every_csv_kumkm_writes_neutralises_formulas_and_keeps_numbers(warehouse, kumkm, tmp_path):
    """Text a spreadsheet would run as a formula gets a leading ', in report, audit and export alike."""
    con = duckdb.connect(str(warehouse / "serving.duckdb"))
    try:
        con.execute("update marts.fct_indicator_quarterly set nama_indikator = '=cmd|'' /C calc''!A0' "
                    "where kode_indikator = 'IKU-01'")
        con.execute("update marts.fct_budget_quarterly set nama = '@SUM(A1:A9)' where level = 'program'")
        con.execute("update marts.fct_publikasi_audit set nama = '+HYPERLINK(\"x\")', tabel = '\tTabel'")
    finally:
        con.close()
    written = {
        "indicators": kumkm("report", "--quarter", "2025Q4", "--format", "csv").output,
        "budget": kumkm("report", "--quarter", "2025Q4", "--format", "csv", "--table", "budget").output,
        "audit": kumkm("audit", "--all", "--format", "csv").output}
    for path in kumkm("export", "--format", "csv", "--to", tmp_path / "bi").output.split():
        written[Path(path).stem] = Path(path).read_text(encoding="utf-8")
    cells = {name: [c for row in csv.reader(io.StringIO(text)) for c in row] for name, text in written.items()}
    assert "'=cmd|' /C calc'!A0" in cells["indicators"] and "'=cmd|' /C calc'!A0" in cells["fct_indicator_quarterly"]
    assert "'@SUM(A1:A9)" in cells["budget"] and "'@SUM(A1:A9)" in cells["fct_budget_quarterly"]
    assert "'+HYPERLINK(\"x\")" in cells["audit"] and "'\tTabel" in cells["fct_publikasi_audit"]
    assert [c for name in cells for c in cells[name] if FORMULA.match(c) and not NUMBER.match(c)] == []
    assert any(NUMBER.match(c) and c.startswith("-") for c in cells["fct_indicator_quarterly"])  # numbers stay numbers


# --- refresh: it owns its dbt, and names the process holding a database -------------------------------


def dbt_building(process: subprocess.Popen, database: Path, timeout: float = 300) -> None:
    """Waits until the refresh process has the transform database open (dbt is building)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        if database in open_files(process.pid):
            return
        time.sleep(0.05)
    raise AssertionError("the refresh never opened the transform database")


def open_files(pid: int) -> set[Path]:
    found = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                found.add(Path(os.readlink(f"/proc/{pid}/fd/{fd}")))
            except OSError:
                pass
    except OSError:
        pass
    return found


def holders(database: Path) -> list[int]:
    """Every process with the database open."""
    return [int(pid) for pid in os.listdir("/proc") if pid.isdigit() and database in open_files(int(pid))]


def test_a_killed_refresh_leaves_no_dbt_and_a_locked_database_is_named_with_its_process(demo_home, tmp_path):
    home = tmp_path / "rumah d'inas" / "home"  # a quote in the path, which SQL must not take as its own
    shutil.copytree(demo_home, home)
    (home / "dbt" / "last_refresh.json").unlink()  # so that the refresh builds
    transform, served = home / "transform.duckdb", (home / "serving.duckdb").read_bytes()

    refresh = subprocess.Popen([str(KUMKM), "refresh", "--all"], env={**os.environ, "KUMKM_HOME": str(home)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    dbt_building(refresh, transform)
    refresh.kill()
    refresh.wait()
    assert holders(transform) == []
    assert (home / "serving.duckdb").read_bytes() == served

    refresh = subprocess.Popen([str(KUMKM), "refresh", "--all"], env={**os.environ, "KUMKM_HOME": str(home)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dbt_building(refresh, transform)
    refresh.send_signal(signal.SIGINT)  # Ctrl-C
    out, err = refresh.communicate(timeout=120)
    assert (refresh.returncode, out, err) == (
        130, "", "Error: refresh interrupted; the serving database keeps the last state published\n")
    assert holders(transform) == []
    assert (home / "serving.duckdb").read_bytes() == served

    for database in (home / "events.duckdb", transform):
        process = hold(database)
        try:
            done = kumkm_process(home, "refresh", "--all")
        finally:
            process.kill()
            process.wait()
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.splitlines() == [
            f"Error: {database} is in use by another process (PID {process.pid}): wait for it to finish, or end it"]

    done = kumkm_process(home, "refresh", "--all")
    assert done.returncode == 0 and done.stdout.startswith("refreshed every quarter with data"), done.stderr
    assert kumkm_process(home, "export", "--format", "csv").returncode == 0


def test_an_error_no_rule_foresaw_is_one_line_naming_where_it_was_raised(home):
    """A serving database that is no DuckDB file (a careless copy): no traceback, nothing it holds quoted."""
    home.mkdir(parents=True)
    (home / "serving.duckdb").write_bytes(f"{NAMA};{NIK};{HP}\n".encode() * 1_000)
    done = kumkm_process(home, "report")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert re.fullmatch(r"Error: unexpected \w+ at report\.py:\d+\n", done.stderr), done.stderr
