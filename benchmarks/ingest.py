"""Ingestion benchmark: `kumkm ingest` of large CSV exports side by side with DuckDB's bare CSV load (the floor).

Run: .venv/bin/python benchmarks/ingest.py [--rows N] [--large M] [--repeat K] [--pandas]. Generates the exports
into benchmarks/work/ingest/ (`realisasi` and `umkm` of N rows, `umkm` of M rows), and for each times in fresh
processes, taking turns within each of K rounds: the floor, kumkm's ingest alone (`ingestion.ingest.ingest`, no
validation), the whole `kumkm ingest` command (which also validates the new batch with its raw suite) and,
with --pandas, a plain pandas load. Then it times both kumkm runs of a 10-row file into a copy of the sample
warehouse (`kumkm demo`), and writes the `Ingest` section of benchmarks/RESULTS.md.

Peak memory is each child's own ru_maxrss (os.wait4). A child's ru_maxrss also counts the parent's resident
set at fork, so this script imports neither DuckDB nor pandas: all their work, generation included, runs in
children.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "ingest"  # its own folder: the refresh benchmark keeps its homes beside it
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
KUMKM = Path(sys.executable).parent / "kumkm"
BAD_PER_100 = 3  # umkm rows i with i % 100 < 3 break the contract, one way each
MIN_RATE, MAX_PEAK = 0.7, 1 << 30  # kumkm's rows/s at least MIN_RATE x the floor's, peak below 1 GiB
SMALL_ROWS, MAX_SMALL_SECONDS = 10, 1.5
BOUND = "bound: check and write only"

DUCKDB_RUN = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute(sys.argv[2])"
# kumkm's ingest without the command around it: no click, no raw-suite validation; prints the counts.
INGEST_RUN = """
import sys
from pathlib import Path
from ingestion.ingest import ingest
r = ingest([Path(sys.argv[2])], Path(sys.argv[1]))[0]
print(r.status, r.rows_read, r.rows_added, r.rows_known, r.rows_rejected)
"""
# The least any ingest that checks the contract does: read the file, check every cell and row rule (kumkm's
# own checks, less the budget lookup), write the typed rows that pass. No record key, ids, duplicates,
# earlier versions, quarantine, registry or digest. Prints the rows written.
BOUND_RUN = """
import sys
from pathlib import Path
import duckdb
from ingestion import parse
from ingestion.contract import parse_file_name
from ingestion.ingest import _check_sql
from ingestion.readers import land
export = parse_file_name(Path(sys.argv[2]))
con = duckdb.connect(sys.argv[1])
con.execute(parse.MACROS)
checked = _check_sql(export.kind, land(con, export, False))
columns = ", ".join(c.name for c in export.kind.columns)
con.execute(f"create table t as select {columns} from ({checked}) where _ok")
print(con.execute("select count(*) from t").fetchone()[0])
"""
PANDAS_RUN = """
import sys
import duckdb
import pandas as pd
frame = pd.read_csv(sys.argv[2], sep=";", dtype=str, keep_default_na=False)
duckdb.connect(sys.argv[1]).execute("create table t as select * from frame")
"""

MACROS = """
create macro pick(l, i, salt) as l[1 + (hash(i, salt) % len(l))::int];
create macro rnd(i, salt, n) as (hash(i, salt) % n)::bigint;
create macro idr(x) as replace(format('{:,}', x), ',', '.');
create macro idr_cents(x) as translate(format('{:,.2f}', x), ',.', '.,');
create macro kode(k) as printf('2.17.%s.2.%02d.%04d', ['01', '03', '07', '08'][1 + k % 4], 1 + k % 3, 1 + k);
create macro ddmmyyyy(d) as strftime(d, '%d/%m/%Y');
"""

PROGRAMS = ["PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
            "PROGRAM PENGAWASAN DAN PEMERIKSAAN KOPERASI",
            "PROGRAM PEMBERDAYAAN USAHA MENENGAH, USAHA KECIL, DAN USAHA MIKRO (UMKM)",
            "PROGRAM PENGEMBANGAN UMKM"]
BUDGET_LINES = 24

ANGGARAN = """
copy (select 2025 as tahun_anggaran, 'MURNI' as tahap, '02/01/2025' as tanggal_penetapan,
        kode(k) as kode_sub_kegiatan, {programs}[1 + k % 4] as nama_program,
        'Kegiatan ' || kode(k)[:12] as nama_kegiatan, 'Sub Kegiatan ' || kode(k) as nama_sub_kegiatan,
        idr(500000000 + rnd(k, 'pagu', 40) * 50000000) as pagu
      from (select range as k from range({lines})))
to '{path}' (delimiter ';', header)
"""

REALISASI = """
copy (select 2025 as tahun_anggaran,
        printf('%06d/SP2D/LS/1.17.0.00.0.00.01.0000/2025', i + 1) as no_sp2d,
        ddmmyyyy(date '2025-01-06' + rnd(i, 'tgl', 355)::int) as tanggal_sp2d,
        kode(rnd(i, 'kode', {lines})) as kode_sub_kegiatan,
        printf('5.1.02.%02d.01.%04d', 1 + rnd(i, 'rek', 4), 1 + rnd(i, 'akun', 60)) as kode_rekening,
        pick(['Belanja Alat Tulis Kantor', 'Belanja Makanan dan Minuman Rapat', 'Honorarium Narasumber',
              'Belanja Perjalanan Dinas Dalam Kota', 'Belanja Sewa Gedung Pelatihan UMKM',
              'Belanja Jasa Tenaga Pendamping', 'Belanja Cetak dan Penggandaan'], i, 'uraian')
            || ' ' || pick(['Bidang UMKM', 'Bidang Koperasi', 'Sekretariat'], i, 'bidang') as uraian,
        case when i % 50 = 7 then '-' || idr(1000 * (1 + rnd(i, 'contra', 25000)))
             when i % 10 = 3 then idr_cents(rnd(i, 'nilai', 2000000000) / 100)
             else idr(100000 * (1 + rnd(i, 'nilai', 20000))) end as nilai
      from (select range as i from range({rows})))
to '{path}' (delimiter ';', header)
"""

UMKM = """
copy (select
        printf('3275-UMKM-%07d', i // 2) as id_umkm,
        case when not (bad and v = 5) then
            pick(['Warung', 'Toko', 'Kedai', 'Bengkel', 'Salon', 'Konveksi', 'Katering', 'Kerajinan'], i, 'u1')
            || ' ' || pick(['Berkah', 'Jaya', 'Makmur', 'Sejahtera', 'Barokah', 'Mandiri', 'Sentosa'], i, 'u2')
            || ' ' || pick(['Abadi', 'Bersama', 'Ibu', 'Putra', 'Putri', 'Sinar', 'Lestari'], i, 'u3') end
            as nama_usaha,
        pick(['Siti', 'Dewi', 'Sri', 'Rina', 'Budi', 'Agus', 'Ahmad', 'Eko', 'Nur', 'Yanti', 'Hendra'], i, 'p1')
            || ' ' || pick(['Rahayu', 'Lestari', 'Santoso', 'Hidayat', 'Saputra', 'Wulandari', 'Kurniawan',
                            'Setiawan', 'Maharani', 'Nugroho'], i, 'p2') as nama_pemilik,
        '3275' || printf('%012d', rnd(i, 'nik', 1000000000000))[:case when bad and v = 0 then 11 else 12 end]
            as nik_pemilik,
        case when rnd(i, 'hp?', 10) < 8 then '08' || printf('%010d', rnd(i, 'hp', 10000000000)) end as no_hp,
        'Jl. ' || pick(['Ahmad Yani', 'Juanda', 'Kalimalang', 'Raya Narogong', 'Cut Mutia', 'Pekayon',
                        'Siliwangi', 'Raya Jatiwaringin'], i, 'jl')
            || ' No. ' || (1 + rnd(i, 'no', 250)) || ' RT ' || printf('%03d', 1 + rnd(i, 'rt', 12))
            || '/RW ' || printf('%03d', 1 + rnd(i, 'rw', 20)) as alamat,
        pick(['Margahayu', 'Pekayon Jaya', 'Jakasampurna', 'Harapan Jaya', 'Jatimakmur', 'Bojong Rawalumbu',
              'Kayuringin Jaya', 'Cikiwul', 'Jatiwaringin', 'Padurenan'], i, 'kel') as kelurahan,
        case when bad and v = 1 then 'Cikarang Utara' else
            pick(['Bantargebang', 'Bantar Gebang', 'Bekasi Barat', 'Bekasi Selatan', 'BEKASI TIMUR',
                  'Bekasi Utara', 'Jatiasih', 'Jatisampurna', 'Medan Satria', 'Mustikajaya', 'Mustika Jaya',
                  'Pondok Gede', 'Pondok Melati', 'Rawalumbu', 'RAWA LUMBU'], i, 'kec') end as kecamatan,
        pick(['Kuliner', 'Kuliner', 'Kuliner', 'Fashion', 'Kriya', 'Jasa', 'Perdagangan', 'Otomotif', 'Kosmetik'],
             i, 'sektor') as sektor_usaha,
        case when has_skb then printf('500.%d/SKB/%05d/Diskopukm', 2020 + rnd(i, 'skbth', 6), i) end as skb,
        case when has_skb and not (bad and v = 4)
             then ddmmyyyy(date '2020-01-02' + rnd(i, 'tskb', 2000)::int) end as tanggal_skb,
        case when has_nib then printf('%013d', rnd(i, 'nib', 10000000000000)) end as nib,
        case when has_nib then ddmmyyyy(date '2019-06-01' + rnd(i, 'tnib', 2300)::int) end as tanggal_nib,
        case when bad and v = 2 then '63.129.00'
             when rnd(i, 'modal?', 10) < 9 then idr(500000 * (1 + rnd(i, 'modal', 400))) end as modal_usaha,
        case when rnd(i, 'omzet?', 10) < 8 then idr(1000000 * (1 + rnd(i, 'omzet', 4800))) end as omzet_tahunan,
        case when rnd(i, 'tk?', 10) < 9 then rnd(i, 'tk', 12) end as tenaga_kerja,
        case when pkl then 'Ya' else 'Tidak' end as informal_pkl,
        case when pkl and rnd(i, 'tdu?', 3) = 0 then printf('TDU-PKL/%05d/2024', i) end as tdu_pkl,
        case when rnd(i, 'aktif', 20) = 0 then 'Tidak Aktif' else 'Aktif' end as status_usaha,
        case when bad and v = 3 then '31/02/2025'
             else ddmmyyyy(date '2024-02-01' + (365 * (i % 2) + rnd(i, 'tgl', 300))::int) end as tanggal_pendataan
      from (select range as i, i % 100 < {bad} as bad, (i // 100) % 6 as v,
                   rnd(i, 'skb?', 10) < 3 or (bad and v = 4) as has_skb, rnd(i, 'nib?', 2) = 0 as has_nib,
                   rnd(i, 'pkl', 4) = 0 as pkl
            from range({rows})))
to '{path}' (delimiter ';', header)
"""


@dataclass
class Export:
    kind: str
    path: Path
    rows: int
    rejected: int


@dataclass
class Run:
    name: str
    seconds: float  # the fastest of the rounds
    peak: int       # the highest of the rounds, bytes


def run(cmd: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Runs cmd to completion: wall seconds, peak resident set size in bytes, output."""
    log = WORK / "last_run.log"
    with log.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    text = log.read_text()
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(map(str, cmd))} failed ({os.waitstatus_to_exitcode(status)}):\n{text}")
    return seconds, usage.ru_maxrss * 1024, text


def duckdb_run(db: Path, sql: str) -> tuple[float, int, str]:
    return run([sys.executable, "-c", DUCKDB_RUN, str(db), sql])


def generate(folder: Path, rows: int, kinds: tuple[str, ...]) -> dict[str, Export]:
    """The exports of `kinds` with `rows` rows (realisasi with its 24-line budget) in folder/<source>/."""
    paths = {"anggaran": folder / "ledger" / "anggaran_20250102.csv",
             "realisasi": folder / "ledger" / "realisasi_20251231.csv",
             "umkm": folder / "sip3" / "umkm_20251231.csv"}
    copies = {"anggaran": ANGGARAN.format(path=paths["anggaran"], lines=BUDGET_LINES, programs=PROGRAMS),
              "realisasi": REALISASI.format(path=paths["realisasi"], rows=rows, lines=BUDGET_LINES),
              "umkm": UMKM.format(path=paths["umkm"], rows=rows, bad=BAD_PER_100)}
    wanted = kinds + (("anggaran",) if "realisasi" in kinds else ())
    for kind in wanted:
        paths[kind].parent.mkdir(parents=True, exist_ok=True)
    duckdb_run(Path(":memory:"), MACROS + ";\n".join(copies[k] for k in wanted))
    bad = rows // 100 * BAD_PER_100 + min(rows % 100, BAD_PER_100)
    exports = {k: Export(k, paths[k], rows, bad if k == "umkm" else 0) for k in kinds}
    if "realisasi" in kinds:
        exports["anggaran"] = Export("anggaran", paths["anggaran"], BUDGET_LINES, 0)
    return exports


def counts_of(line: str) -> tuple[int, ...]:
    return tuple(int(n.replace(",", "")) for n in line.split()[-4:])


def expect(export: Export, counts: tuple[int, ...]) -> None:
    expected = (export.rows, export.rows - export.rejected, 0, export.rejected)
    if counts != expected:
        sys.exit(f"{export.path.name}: kumkm counted (read, added, known, rejected) {counts}, expected {expected}")


def fresh_home(name: str, budget: Export | None) -> Path:
    """An empty KUMKM_HOME, with the budget a realisasi file is checked against ingested (untimed)."""
    home = WORK / f"home_{name}"
    shutil.rmtree(home, ignore_errors=True)
    if budget:
        run([sys.executable, "-c", INGEST_RUN, str(home / "events.duckdb"), str(budget.path)])
    return home


def floor(export: Export) -> tuple[float, int]:
    db = WORK / "floor.duckdb"
    db.unlink(missing_ok=True)
    seconds, peak, _ = duckdb_run(db, f"create table t as select * from read_csv('{export.path}')")
    db.unlink()
    return seconds, peak


def kumkm_ingest(export: Export, budget: Export | None) -> tuple[float, int]:
    home = fresh_home("ingest", budget)
    seconds, peak, out = run([sys.executable, "-c", INGEST_RUN, str(home / "events.duckdb"), str(export.path)])
    expect(export, counts_of(out.strip().splitlines()[-1]))
    return seconds, peak


def kumkm_command(export: Export, budget: Export | None) -> tuple[float, int]:
    home = fresh_home("command", budget)
    seconds, peak, out = run([str(KUMKM), "ingest", str(export.path)], env={**os.environ, "KUMKM_HOME": str(home)})
    expect(export, counts_of(next(line for line in out.splitlines() if line.startswith(export.path.name))))
    return seconds, peak


def bound(export: Export) -> tuple[float, int]:
    db = WORK / "bound.duckdb"
    db.unlink(missing_ok=True)
    seconds, peak, out = run([sys.executable, "-c", BOUND_RUN, str(db), str(export.path)])
    if int(out.split()[-1]) != export.rows - export.rejected:
        sys.exit(f"{export.path.name}: the bound wrote {out.split()[-1]} rows, expected {export.rows - export.rejected}")
    db.unlink()
    return seconds, peak


def pandas_peer(export: Export, budget: Export | None) -> tuple[float, int]:
    db = WORK / "pandas.duckdb"
    db.unlink(missing_ok=True)
    seconds, peak, _ = run([sys.executable, "-c", PANDAS_RUN, str(db), str(export.path)])
    db.unlink()
    return seconds, peak


RUNS = {"floor": lambda export, budget: floor(export), BOUND: lambda export, budget: bound(export),
        "kumkm ingest": kumkm_ingest,
        "`kumkm ingest` command": kumkm_command, "pandas": pandas_peer}


def measure(export: Export, budget: Export | None, names: list[str], repeat: int) -> list[Run]:
    """Each run `repeat` times, taking turns, so that the machine's load falls on all alike."""
    times: dict[str, list[tuple[float, int]]] = {name: [] for name in names}
    for _ in range(repeat):
        for name in names:
            times[name].append(RUNS[name](export, budget))
            print(f"  {export.path.name} {export.rows:,} {name}: {times[name][-1][0]:.2f} s", flush=True)
    return [Run(name, min(s for s, _ in t), max(p for _, p in t)) for name, t in times.items()]


def small_file(repeat: int) -> list[Run]:
    """kumkm ingest alone and the command, of a 10-row umkm file into a copy of the sample warehouse."""
    demo, home = WORK / "demo", WORK / "home_demo"
    if not (demo / "events.duckdb").exists():
        run([str(KUMKM), "demo"], env={**os.environ, "KUMKM_HOME": str(demo)})
    small = WORK / "small" / "sip3" / "umkm_20260301.csv"
    small.parent.mkdir(parents=True, exist_ok=True)
    with (WORK / "1m" / "sip3" / "umkm_20251231.csv").open() as f:
        small.write_text("".join(f.readline() for _ in range(SMALL_ROWS + 1)))
    times: dict[str, list[tuple[float, int]]] = {"kumkm ingest": [], "`kumkm ingest` command": []}
    for _ in range(repeat):
        for name, runs in times.items():
            shutil.rmtree(home, ignore_errors=True)
            shutil.copytree(demo, home, ignore=shutil.ignore_patterns("dagster"))
            cmd = ([sys.executable, "-c", INGEST_RUN, str(home / "events.duckdb"), str(small)]
                   if name == "kumkm ingest" else [str(KUMKM), "ingest", str(small)])
            seconds, peak, _ = run(cmd, env={**os.environ, "KUMKM_HOME": str(home)})
            runs.append((seconds, peak))
            print(f"  {small.name} {SMALL_ROWS} rows into the sample warehouse, {name}: {seconds:.2f} s", flush=True)
    return [Run(name, min(s for s, _ in t), max(p for _, p in t)) for name, t in times.items()]


def machine() -> str:
    meminfo = Path("/proc/meminfo").read_text()
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo)[1])
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    return (f"{os.cpu_count()} cores (nproc), {mem_kib / 2**20:.1f} GiB RAM, {cpu[1] if cpu else platform.machine()}, "
            f"load average {os.getloadavg()[0]:.1f} at start")


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "ingestion", "kumkm"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + (" with uncommitted changes to ingestion/ or kumkm/" if dirty else "")


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def table(measured: list[tuple[Export, list[Run]]]) -> str:
    lines = ["| file | rows | size | run | s | rows/s | rate vs floor | peak RSS |", "|---|---|---|---|---|---|---|---|"]
    for export, runs in measured:
        floor_s = next(r.seconds for r in runs if r.name == "floor")
        for i, r in enumerate(runs):
            head = [export.path.name, f"{export.rows:,}", mib(export.path.stat().st_size)] if i == 0 else ["", "", ""]
            lines.append("| " + " | ".join(head + [r.name, f"{r.seconds:.2f}", f"{export.rows / r.seconds:,.0f}",
                                                  f"{floor_s / r.seconds:.2f}", mib(r.peak)]) + " |")
    return "\n".join(lines)


def verdict(measured: list[tuple[Export, list[Run]]], name: str) -> str:
    runs = [(e, {r.name: r for r in rs}) for e, rs in measured]
    rates = [by["floor"].seconds / by[name].seconds for _, by in runs]
    peaks = [by[name].peak for _, by in runs]
    umkm = sorted((e.rows, by[name].peak) for e, by in runs if e.kind == "umkm")
    growth = umkm[-1][1] / umkm[0][1] if len(umkm) > 1 else 1.0
    passed = min(rates) >= MIN_RATE and max(peaks) < MAX_PEAK
    return (f"{name}: rate vs floor {min(rates):.2f} to {max(rates):.2f}, peak up to {mib(max(peaks))}, "
            f"umkm peak x{growth:.2f} from {umkm[0][0]:,} to {umkm[-1][0]:,} rows: **{'PASS' if passed else 'FAIL'}**")


def bound_verdict(measured: list[tuple[Export, list[Run]]]) -> str:
    rates = [by["floor"].seconds / by[BOUND].seconds for by in ({r.name: r for r in rs} for _, rs in measured)]
    reachable = min(rates) >= MIN_RATE
    return (f"{BOUND}: rate vs floor {min(rates):.2f} to {max(rates):.2f}: the {MIN_RATE} goal is "
            + ("within reach of an ingest that checks the contract" if reachable else
               "beyond what checking the contract alone leaves for some file, before anything an event store adds"))


def report(args: argparse.Namespace, host: str, code: str, measured: list[tuple[Export, list[Run]]],
           small: list[Run]) -> str:
    small_lines = "\n".join(f"- {r.name}: {r.seconds:.2f} s, peak {mib(r.peak)}: "
                            f"**{'PASS' if r.seconds <= MAX_SMALL_SECONDS else 'FAIL'}**" for r in small)
    return f"""## Ingest

`.venv/bin/python benchmarks/ingest.py --rows {args.rows} --large {args.large} --repeat {args.repeat}\
{' --pandas' if args.pandas else ''}` on {datetime.now():%Y-%m-%d %H:%M}

- machine: {host}
- commit {code}; DuckDB {version("duckdb")}, Python {platform.python_version()}

{table(measured)}

Goal: kumkm's rows/s at least {MIN_RATE} x the floor's, peak RSS under 1 GiB and flat from {args.rows:,} to
{args.large:,} rows.
- {verdict(measured, "kumkm ingest")}
- {verdict(measured, "`kumkm ingest` command")}
- {bound_verdict(measured)}

A {SMALL_ROWS}-row umkm file into a copy of the sample warehouse (`kumkm demo`), goal at most \
{MAX_SMALL_SECONDS} s:
{small_lines}

- floor: `create table t as select * from read_csv(<file>)` (default options) into a fresh database file, in a
  fresh Python process.
- {BOUND}: the least any ingest that checks the contract does, in a fresh Python process: DuckDB reads the
  file, checks every cell and row rule with kumkm's own checks (less the budget lookup) and writes the typed
  rows that pass into a fresh database file; no record key, event ids or content hash, no repeated keys, earlier
  versions, quarantine, batch registry or sha256.
- kumkm ingest: `ingestion.ingest.ingest` of the file into a fresh KUMKM_HOME, in a fresh Python process
  (start-up included), without the command's raw-suite validation.
- `kumkm ingest` command: the whole command into a fresh KUMKM_HOME, Python start-up and the raw-suite
  validation of the new batch included.
- pandas: `pandas.read_csv(<file>, dtype=str)` and `create table t as select * from frame` into a fresh
  database file, in a fresh Python process (only with --pandas).
- `realisasi` is ingested after its budget `anggaran_20250102.csv` ({BUDGET_LINES} lines, untimed, same home);
  {BAD_PER_100}% of `umkm` rows break the contract one way each and are quarantined; every kumkm run's counts
  (read, added, known, rejected) are checked.
- time: the fastest of {args.repeat} rounds, the runs of one file taking turns in each round; peak: the
  highest maximum resident set size of the child process over the rounds (ru_maxrss from wait4).
"""


def write_section(section: str) -> None:
    """Replaces the `## Ingest` section of RESULTS.md, keeping any other section."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## Ingest\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text + section
    RESULTS.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the realisasi and umkm files")
    parser.add_argument("--large", type=int, default=5_000_000, help="rows of the large umkm file")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each measurement; the fastest counts")
    parser.add_argument("--pandas", action="store_true", help="also time a plain pandas load")
    args = parser.parse_args()
    host, code = machine(), commit()
    for folder in ("1m", "large", "floor.duckdb", "pandas.duckdb"):
        shutil.rmtree(WORK / folder, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    names = ["floor", BOUND, "kumkm ingest", "`kumkm ingest` command"] + (["pandas"] if args.pandas else [])
    exports = generate(WORK / "1m", args.rows, ("realisasi", "umkm"))
    large = generate(WORK / "large", args.large, ("umkm",))
    measured = [(e, measure(e, exports["anggaran"] if e.kind == "realisasi" else None, names, args.repeat))
                for e in (exports["realisasi"], exports["umkm"], large["umkm"])]
    small = small_file(args.repeat)
    if commit() != code:
        code += f" (WARNING: the code changed during the run, now {commit()}: rerun)"
    section = report(args, host, code, measured, small)
    write_section(section)
    print(section)


if __name__ == "__main__":
    main()
