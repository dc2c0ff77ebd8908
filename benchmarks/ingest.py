"""Ingestion benchmark: `kumkm ingest` of large CSV exports against DuckDB's bare CSV load (the floor).

Run: .venv/bin/python benchmarks/ingest.py [--rows N] [--repeat K]. Generates the exports into
benchmarks/work/ingest/, times each ingest and each floor load in a fresh process, and writes the `Ingest`
section of benchmarks/RESULTS.md. Peak memory is the child's own ru_maxrss (os.wait4). A child's ru_maxrss
also counts the parent's resident set at fork, so this script never imports DuckDB: all DuckDB
work, generation included, runs in children.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "ingest"  # its own folder: the refresh benchmark keeps its homes beside it
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
KUMKM = Path(sys.executable).parent / "kumkm"
BAD_PER_100 = 3  # umkm rows i with i % 100 < 3 break the contract, one way each
MIN_RATIO, MAX_PEAK = 0.7, 1 << 30  # issue 11: >= 0.7x the floor, peak under 1 GB

DUCKDB_RUN = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute(sys.argv[2])"

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


def run(cmd: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Runs cmd to completion: wall seconds, peak resident set size in bytes, output."""
    log = WORK / "last_run.log"
    with log.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text()
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text}")
    return seconds, usage.ru_maxrss * 1024, text


def duckdb_run(db: Path, sql: str) -> tuple[float, int, str]:
    return run([sys.executable, "-c", DUCKDB_RUN, str(db), sql])


def generate(rows: int) -> dict[str, Path]:
    files = {"anggaran": WORK / "ledger" / "anggaran_20250102.csv",
             "realisasi": WORK / "ledger" / "realisasi_20251231.csv",
             "umkm": WORK / "sip3" / "umkm_20251231.csv"}
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    copies = [ANGGARAN.format(path=files["anggaran"], lines=BUDGET_LINES, programs=PROGRAMS),
              REALISASI.format(path=files["realisasi"], rows=rows, lines=BUDGET_LINES),
              UMKM.format(path=files["umkm"], rows=rows, bad=BAD_PER_100)]
    duckdb_run(Path(":memory:"), MACROS + ";\n".join(copies))
    return files


def kumkm_ingest(home: Path, path: Path) -> tuple[float, int, dict[str, int]]:
    seconds, peak, out = run([str(KUMKM), "ingest", str(path)], env={**os.environ, "KUMKM_HOME": str(home)})
    line = next(l for l in out.splitlines() if l.startswith(path.name))
    read, added, known, rejected = (int(n.replace(",", "")) for n in line.split()[-4:])
    return seconds, peak, dict(read=read, added=added, known=known, rejected=rejected)


def ingest_fresh(files: dict[str, Path], name: str, rows: int, rejected: int) -> tuple[float, int]:
    """Times kumkm ingest of one file into a fresh home (after its budget, untimed, for realisasi)."""
    home = WORK / f"home_{name}"
    shutil.rmtree(home, ignore_errors=True)
    if name == "realisasi":
        kumkm_ingest(home, files["anggaran"])
    seconds, peak, counts = kumkm_ingest(home, files[name])
    check(name, counts, rows, rejected)
    return seconds, peak


def best(runs: list[tuple[float, int]]) -> tuple[float, int]:
    """The fastest time and the highest peak of repeated runs."""
    return min(s for s, _ in runs), max(p for _, p in runs)


def floor(path: Path) -> tuple[float, int]:
    db = WORK / "floor.duckdb"
    db.unlink(missing_ok=True)
    seconds, peak, _ = duckdb_run(db, f"create table t as select * from read_csv('{path}')")
    db.unlink()
    return seconds, peak


def check(name: str, counts: dict[str, int], rows: int, rejected: int) -> None:
    expected = dict(read=rows, added=rows - rejected, known=0, rejected=rejected)
    if counts != expected:
        sys.exit(f"{name}: kumkm printed {counts}, expected {expected}")


def machine() -> str:
    meminfo = Path("/proc/meminfo").read_text()
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo)[1])
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    return (f"{os.cpu_count()} cores, {mem_kib / 2**20:.1f} GiB RAM, {cpu[1] if cpu else platform.machine()}, "
            f"load average {os.getloadavg()[0]:.1f} at start")


def code_hash() -> str:
    """The ingestion code measured (it changes between runs): sha256 of ingestion/*.py."""
    sources = sorted((ROOT / "ingestion").glob("*.py"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def report(rows: int, repeat: int, host: str, code: str, measured: list[dict]) -> str:
    header = ["file", "rows", "size", "kumkm s", "kumkm rows/s", "kumkm peak", "floor s", "floor rows/s",
              "floor peak", "kumkm/floor"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for m in measured:
        cells = [m["file"], f"{rows:,}", mib(m["size"]), f"{m['kumkm_s']:.1f}", f"{rows / m['kumkm_s']:,.0f}",
                 mib(m["kumkm_peak"]), f"{m['floor_s']:.1f}", f"{rows / m['floor_s']:,.0f}", mib(m["floor_peak"]),
                 f"{m['floor_s'] / m['kumkm_s']:.0%}"]
        lines.append("| " + " | ".join(cells) + " |")
    passed = all(m["floor_s"] / m["kumkm_s"] >= MIN_RATIO and m["kumkm_peak"] < MAX_PEAK for m in measured)
    return f"""## Ingest

`.venv/bin/python benchmarks/ingest.py --rows {rows} --repeat {repeat}` on {datetime.now():%Y-%m-%d %H:%M}

- machine: {host}
- DuckDB {version("duckdb")}, Python {platform.python_version()}, ingestion code {code}

{chr(10).join(lines)}

Goal: ingestion at >= 70% of the floor's rate, peak memory under 1 GB: **{"PASS" if passed else "FAIL"}**

- kumkm: wall time of `kumkm ingest <file>` into a fresh KUMKM_HOME, Python start-up included.
  `realisasi` is ingested after its budget `anggaran_20250102.csv` ({BUDGET_LINES} lines, untimed, same home);
  {BAD_PER_100}% of `umkm` rows break the contract one way each and are quarantined.
- floor: `create table t as select * from read_csv(<file>)` (default options) into a fresh database
  file, in a fresh Python process.
- time: the fastest of {repeat} runs; peak: the highest maximum resident set size of the child
  process over the runs (ru_maxrss from wait4).
"""


def write_section(section: str) -> None:
    """Replaces the `## Ingest` section of RESULTS.md, keeping any other section."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## Ingest\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text + section
    RESULTS.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    args = parser.parse_args()
    host, code = machine(), code_hash()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    files = generate(args.rows)
    bad = args.rows // 100 * BAD_PER_100 + min(args.rows % 100, BAD_PER_100)
    measured = []
    for name, rejected in (("realisasi", 0), ("umkm", bad)):
        kumkm_s, kumkm_peak = best([ingest_fresh(files, name, args.rows, rejected) for _ in range(args.repeat)])
        floor_s, floor_peak = best([floor(files[name]) for _ in range(args.repeat)])
        measured.append(dict(file=files[name].name, size=files[name].stat().st_size, kumkm_s=kumkm_s,
                             kumkm_peak=kumkm_peak, floor_s=floor_s, floor_peak=floor_peak))
    if code_hash() != code:
        code += f" (WARNING: ingestion/*.py changed during the run, now {code_hash()}: rerun)"
    section = report(args.rows, args.repeat, host, code, measured)
    write_section(section)
    print(section)


if __name__ == "__main__":
    main()
