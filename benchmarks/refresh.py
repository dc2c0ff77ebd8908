"""Refresh benchmark: `kumkm refresh --all` against one hand-written DuckDB query of the 2025Q4 figures (the floor).

Run: .venv/bin/python benchmarks/refresh.py [--scale N] [--repeat K]. Builds the sample warehouse (`kumkm demo`) in
benchmarks/work/refresh_x1 and an N-fold copy of its event store in benchmarks/work/refresh_x<N>, times
`kumkm refresh --all` and the floor on both, checks the figures, and writes the `Refresh` section of
benchmarks/RESULTS.md. Every DuckDB step runs in a child process, so this one stays small (a child's
ru_maxrss counts the parent's resident set at fork).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
BIN = Path(sys.executable).parent
D = date(2025, 12, 31)
QUARTER = (D.year, 4)
GOAL = 2.0             # refresh --all at most GOAL x the floor's time at xN
UNSCALED = {"PRG-01A"}  # the budget is kept once and the payments split: its figures stay as they are at x1
POLL = 0.05            # seconds between two reads of the process tree's resident set
PAGE = os.sysconf("SC_PAGE_SIZE")
EVENT_TABLES = ("ods.rat", "ods.kegiatan", "sip3.umkm", "sip3.pembinaan", "ledger.anggaran", "ledger.realisasi",
                "manual.indikator")

# Runs argv[2] on the DuckDB file argv[1] with the named dates of argv[3] and prints the rows as JSON.
QUERY = """
import duckdb, json, sys
from datetime import date
params = {k: date.fromisoformat(v) for k, v in json.loads(sys.argv[3]).items()}
con = duckdb.connect(sys.argv[1], read_only=sys.argv[4] == 'ro')
con.execute('set enable_progress_bar = false')
print(json.dumps(con.execute(sys.argv[2], params or None).fetchall(), default=str))
"""

# What `kumkm ingest` would have validated of the replicated event store: each batch with its raw suite.
VALIDATE_AS_INGESTED = """
from expectations.runner import ingested_batches, validate_batches
from kumkm.home import Home
home = Home.from_env()
for batches in ingested_batches(home).values():
    for batch_id, _ in batches:
        validate_batches(home, [batch_id])
"""

# Copy c of N gets its own cooperatives, businesses, activities, facilitations and payments: copy 0 keeps the
# x1 keys; in copy c > 0 a cooperative's nik starts with 3275 + c instead of 3275 (every sample nik does; it stays
# 16 digits for N up to 6725, as the quality gate requires), the other key columns, record_key and event_id
# end with `~<c>`. Budget and manual figures stay single.
REPLICATE = """
attach '{x1}' as x1 (read_only);
copy from database x1 to events;
create temp table copies as
select range as c, case when range = 0 then '' else '~' || range end as sfx from range({n});
create temp macro nik_of(nik, c) as cast(cast(nik as bigint) + c * 1_000_000_000_000 as varchar);
delete from ods.rat;
insert into ods.rat select * exclude (c, sfx) replace (
    event_id || sfx as event_id, concat_ws('|', nik_of(nik, c), tahun_buku) as record_key, nik_of(nik, c) as nik)
from x1.ods.rat, copies;
delete from ods.kegiatan;
insert into ods.kegiatan select * exclude (c, sfx) replace (
    event_id || sfx as event_id, id_kegiatan || sfx as record_key, id_kegiatan || sfx as id_kegiatan,
    nik_of(nik, c) as nik)
from x1.ods.kegiatan, copies;
delete from sip3.umkm;
insert into sip3.umkm select * exclude (c, sfx) replace (
    event_id || sfx as event_id, concat_ws('|', id_umkm || sfx, tanggal_pendataan) as record_key,
    id_umkm || sfx as id_umkm)
from x1.sip3.umkm, copies;
delete from sip3.pembinaan;
insert into sip3.pembinaan select * exclude (c, sfx) replace (
    event_id || sfx as event_id, id_pembinaan || sfx as record_key, id_pembinaan || sfx as id_pembinaan,
    id_umkm || sfx as id_umkm)
from x1.sip3.pembinaan, copies;
-- each copy pays 1/N of every payment, copy 0 also the cents left over: every total stays exact
delete from ledger.realisasi;
insert into ledger.realisasi select * exclude (c, sfx, share) replace (
    event_id || sfx as event_id, no_sp2d || sfx as record_key, no_sp2d || sfx as no_sp2d,
    case when c = 0 then nilai - ({n} - 1) * share else share end as nilai)
from (select *, cast(nilai * 100 as bigint) // {n} * 0.01 as share from x1.ledger.realisasi), copies;
"""

# The floor: numerator and denominator of every computed indicator on D (docs/contracts/indicators.md),
# straight from the event store, in one statement.
FLOOR_SQL = """
with
-- every event ingested so far is known now: per record key, the version of the latest extraction
rat as (
    from ods.rat
    qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1
),
kegiatan as (
    from ods.kegiatan
    qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1
),
umkm as (
    from sip3.umkm
    qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1
),
pembinaan as (
    from sip3.pembinaan
    qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1
),
anggaran as (
    from ledger.anggaran
    qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1
),
realisasi as (
    from ledger.realisasi
    qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1
),

-- cooperatives
koperasi_on_d as (  -- each cooperative's rat row with the latest effective date on or before D
    select nik, status_koperasi, jumlah_pengurus
    from rat
    where valid_date <= $d
    qualify row_number() over (partition by nik order by valid_date desc, tahun_buku desc) = 1
),
rat_held as (
    select nik, tahun_buku, tanggal_rat, aset, volume_usaha from rat where tanggal_rat <= $d
),
koperasi_aktif as (  -- not Bubar, and a RAT held since 1 Jan N-2
    select nik, jumlah_pengurus
    from koperasi_on_d
    where status_koperasi <> 'Bubar'
        and nik in (select nik from rat_held where tanggal_rat >= $active_since)
),
rat_this_year as (  -- the latest RAT held in year N
    from rat_held
    where tanggal_rat >= $year_start
    qualify row_number() over (partition by nik order by tanggal_rat desc, tahun_buku desc) = 1
),
koperasi_berkualitas as (  -- volume and assets both above those of the previous RAT report
    select this_year.nik
    from rat_this_year as this_year
    asof join rat_held as previous
        on previous.nik = this_year.nik and this_year.tahun_buku > previous.tahun_buku
    where this_year.volume_usaha > previous.volume_usaha and this_year.aset > previous.aset
),
kegiatan_to_d as (
    select
        nik,
        bool_or(jenis = 'NIB_SIMPAN_PINJAM') as nib_simpan_pinjam,
        bool_or(jenis = 'PEMERIKSAAN' and tanggal >= $year_start) as diperiksa,
        bool_or(jenis = 'PENILAIAN_KESEHATAN' and tanggal >= $year_start) as dinilai,
        sum(jumlah_peserta) filter (where jenis = 'DIKLAT' and tanggal >= $year_start) as peserta_diklat
    from kegiatan
    where tanggal <= $d
    group by nik
),
volume_koperasi as (
    select
        nik,
        sum(volume_usaha) filter (where tanggal_rat >= $year_start) as this_year,
        sum(volume_usaha) filter (where tanggal_rat between $previous_year_start and $previous_d) as last_year
    from rat_held
    group by nik
),
koperasi as (
    select
        count(*) as aktif,
        count(berkualitas.nik) as berkualitas,
        count(*) filter (where kegiatan_to_d.nib_simpan_pinjam) as nib_simpan_pinjam,
        count(*) filter (where kegiatan_to_d.diperiksa) as diperiksa,
        count(*) filter (where kegiatan_to_d.dinilai) as dinilai,
        coalesce(sum(kegiatan_to_d.peserta_diklat), 0) as peserta_diklat,
        coalesce(sum(aktif.jumlah_pengurus), 0) as pengurus,
        coalesce(sum(volume_koperasi.this_year), 0) as volume,
        coalesce(sum(volume_koperasi.last_year), 0) as volume_last_year
    from koperasi_aktif as aktif
    left join koperasi_berkualitas as berkualitas using (nik)
    left join kegiatan_to_d using (nik)
    left join volume_koperasi using (nik)
),

-- businesses
observation as (  -- scale after PP 7/2021: by annual sales when given, else by capital
    select
        id_umkm, tanggal_pendataan, omzet_tahunan, skb, tanggal_skb, nib, tanggal_nib, informal_pkl, tdu_pkl,
        status_usaha,
        case
            when omzet_tahunan is not null then
                case when omzet_tahunan <= 2_000_000_000 then 'Mikro'
                     when omzet_tahunan <= 15_000_000_000 then 'Kecil'
                     when omzet_tahunan <= 50_000_000_000 then 'Menengah' else 'Besar' end
            when modal_usaha is not null then
                case when modal_usaha <= 1_000_000_000 then 'Mikro'
                     when modal_usaha <= 5_000_000_000 then 'Kecil'
                     when modal_usaha <= 10_000_000_000 then 'Menengah' else 'Besar' end
        end as skala
    from umkm
),
history as (  -- an observation is a business's state from its day until the next observation
    select
        *,
        lag(skala) over by_day as skala_sebelumnya,
        coalesce(lead(tanggal_pendataan) over by_day, date '9999-12-31') as berlaku_sampai
    from observation
    window by_day as (partition by id_umkm order by tanggal_pendataan)
),
naik_kelas as (  -- an observation in year N to D at Kecil right after one at Mikro
    select distinct id_umkm
    from history
    where tanggal_pendataan between $year_start and $d and skala = 'Kecil' and skala_sebelumnya = 'Mikro'
),
dibina as (  -- facilitated in year N to D, and in year N-1 to D one year earlier
    select
        id_umkm,
        bool_or(tanggal between $year_start and $d) as this_year,
        bool_or(tanggal between $previous_year_start and $previous_d) as last_year
    from pembinaan
    group by id_umkm
),
usaha_on_d as (
    select
        id_umkm, tanggal_pendataan, omzet_tahunan,
        coalesce(trim(skb) <> '' and tanggal_skb <= $d and status_usaha = 'Aktif', false) as mikro_terdata,
        coalesce(trim(nib) <> '' and tanggal_nib <= $d, false) as nib,
        coalesce(informal_pkl = 'Ya' and trim(tdu_pkl) <> '' and status_usaha = 'Aktif', false) as pkl_terdaftar,
        coalesce(dibina.this_year, false) as dibina,
        naik_kelas.id_umkm is not null as naik_kelas
    from history
    left join dibina using (id_umkm)
    left join naik_kelas using (id_umkm)
    where tanggal_pendataan <= $d and $d < berlaku_sampai
),
usaha_year_before as (  -- the state on D one year earlier
    select
        id_umkm, tanggal_pendataan, omzet_tahunan,
        coalesce(trim(skb) <> '' and tanggal_skb <= $previous_d and status_usaha = 'Aktif'
                 and trim(nib) <> '' and tanggal_nib <= $previous_d, false) as wirausaha,
        coalesce(dibina.last_year, false) as dibina
    from history
    left join dibina using (id_umkm)
    where tanggal_pendataan <= $previous_d and $previous_d < berlaku_sampai
),
usaha as (
    select
        count(*) filter (where mikro_terdata) as mikro_terdata,
        count(*) filter (where mikro_terdata and nib) as wirausaha,
        count(*) filter (where mikro_terdata and naik_kelas) as naik_kelas,
        count(*) filter (where pkl_terdaftar) as pkl_terdaftar,
        count(*) filter (where pkl_terdaftar and dibina) as pkl_diberdayakan,
        coalesce(sum(omzet_tahunan) filter (where mikro_terdata and dibina and tanggal_pendataan >= $year_start), 0)
            as volume
    from usaha_on_d
),
usaha_last_year as (
    select
        count(*) filter (where before.wirausaha) as wirausaha,
        -- the same businesses as this year's volume: registered micro on D
        coalesce(sum(before.omzet_tahunan) filter (
            where on_d.mikro_terdata and before.dibina and before.tanggal_pendataan >= $previous_year_start), 0)
            as volume
    from usaha_year_before as before
    left join usaha_on_d as on_d using (id_umkm)
),

-- budget: payments of program 2.17.01 in year N to D over its pagu in the version in force on D
budget_version as (  -- when each version of year N took effect, as its latest delivery says
    select tahap, arg_max(tanggal_penetapan, ingested_at) as effective
    from anggaran
    where tahun_anggaran = year($d)
    group by tahap
),
version_in_force as (
    select tahap
    from budget_version
    where effective <= $d
    order by effective desc, case tahap when 'MURNI' then 1 when 'PERGESERAN' then 2 else 3 end desc
    limit 1
),
serapan as (
    select
        (select coalesce(sum(nilai), 0) from realisasi
         where tahun_anggaran = year($d) and tanggal_sp2d between $year_start and $d
             and left(kode_sub_kegiatan, 7) = '2.17.01') as realisasi,
        (select coalesce(sum(pagu), 0) from anggaran
         where tahun_anggaran = year($d) and tahap = (select tahap from version_in_force)
             and left(kode_sub_kegiatan, 7) = '2.17.01') as pagu
)

select 'IKU-01' as kode_indikator, berkualitas as numerator, aktif as denominator from koperasi
union all select 'PRG-02', nib_simpan_pinjam, aktif from koperasi
union all select 'PRG-03', diperiksa, aktif from koperasi
union all select 'PRG-04', dinilai, aktif from koperasi
union all select 'PRG-05', peserta_diklat, pengurus from koperasi
union all select 'PRG-06', volume - volume_last_year, volume_last_year from koperasi
union all select 'RPD-02', volume - volume_last_year, volume_last_year from koperasi
union all select 'IKU-02', naik_kelas, mikro_terdata from usaha
union all select 'PRG-07', pkl_diberdayakan, pkl_terdaftar from usaha
union all select 'PRG-08A', wirausaha, mikro_terdata from usaha
union all select 'PRG-08B', usaha.wirausaha - last_year.wirausaha, last_year.wirausaha
    from usaha, usaha_last_year as last_year
union all select 'RPD-03', usaha.volume - last_year.volume, last_year.volume
    from usaha, usaha_last_year as last_year
union all select 'PRG-01A', realisasi, pagu from serapan
"""

FLOOR_DATES = {"d": D, "year_start": date(D.year, 1, 1), "previous_d": D.replace(year=D.year - 1),
               "previous_year_start": date(D.year - 1, 1, 1), "active_since": date(D.year - 2, 1, 1)}
MARTS_SQL = "select kode_indikator, tahun, triwulan, numerator, denominator, nilai from marts.fct_indicator_quarterly"


def tree_rss(root: int) -> int:
    """Sum of the resident set sizes of root and all its descendants, from /proc."""
    children, rss = {}, {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(name))
            rss[int(name)] = int(fields[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


class Run(NamedTuple):
    seconds: float  # wall time
    cpu: float      # user + system time of the process and every descendant it waited for (wait4)
    peak: int       # bytes: see `report`
    output: str


def run(cmd: list[str], home: Path | None = None) -> Run:
    """Runs cmd to completion, polling the resident set of its process tree."""
    env = {**os.environ, "KUMKM_HOME": str(home)} if home else None
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        tree_peak, done = 0, threading.Event()

        def poll() -> None:
            nonlocal tree_peak
            while not done.wait(POLL):
                tree_peak = max(tree_peak, tree_rss(proc.pid))

        poller = threading.Thread(target=poll)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        poller.join()
        out.seek(0), err.seek(0)
        output = out.read()
        if os.waitstatus_to_exitcode(status):
            sys.exit(f"{' '.join(cmd)[:300]} failed:\n{output[-3000:]}\n{err.read()[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, max(tree_peak, usage.ru_maxrss * 1024), output)


def query(db: Path, sql: str, dates: dict | None = None, read_only: bool = True) -> tuple[Run, list]:
    dates = json.dumps({k: v.isoformat() for k, v in (dates or {}).items()})
    done = run([sys.executable, "-c", QUERY, str(db), sql, dates, "ro" if read_only else "rw"])
    return done, json.loads(done.output)


def build(scale: int) -> tuple[Path, Path]:
    x1, xn = WORK / "refresh_x1", WORK / f"refresh_x{scale}"
    for home in (x1, xn):
        shutil.rmtree(home, ignore_errors=True)
    run([str(BIN / "kumkm"), "demo"], x1)
    xn.mkdir(parents=True)
    query(xn / "events.duckdb", REPLICATE.format(x1=x1 / "events.duckdb", n=scale), read_only=False)
    run([sys.executable, "-c", VALIDATE_AS_INGESTED], xn)
    return x1, xn


def refresh(home: Path) -> Run:
    """`kumkm refresh --all` on the home with its transform and serving databases removed: a build from scratch."""
    for db in ("transform.duckdb", "serving.duckdb"):
        (home / db).unlink(missing_ok=True)
    return run([str(BIN / "kumkm"), "refresh", "--all"], home)


def best(runs: list[Run]) -> Run:
    """The fastest wall and CPU times and the highest peak of repeated runs."""
    return Run(min(r.seconds for r in runs), min(r.cpu for r in runs), max(r.peak for r in runs), "")


def measure(home: Path, repeat: int) -> dict:
    """`repeat` refreshes, then `repeat` floors; the figures and dbt timings of the last ones."""
    refreshes = [refresh(home) for _ in range(repeat)]
    floors = [query(home / "events.duckdb", FLOOR_SQL, FLOOR_DATES) for _ in range(repeat)]
    count = "select " + " + ".join(f"(select count(*) from {t})" for t in EVENT_TABLES)
    return dict(events=query(home / "events.duckdb", count)[1][0][0], refresh=best(refreshes),
                last_refresh_s=refreshes[-1].seconds, floor=best([f for f, _ in floors]), figures=floors[-1][1],
                marts=query(home / "serving.duckdb", MARTS_SQL)[1],
                run_results=json.loads((home / "dbt" / "run_results.json").read_text()))


def figures(rows: list) -> dict:
    return {tuple(r[:-2]): tuple(None if v is None else Decimal(v) for v in r[-2:]) for r in rows}


def differences(m1: dict, mn: dict, scale: int) -> list[str]:
    """The floor against the published marts at each scale; the xN marts against N x the x1 ones."""
    diffs = []
    for name, m in (("x1", m1), (f"x{scale}", mn)):
        mart = figures([r[:-1] for r in m["marts"] if tuple(r[1:3]) == QUARTER])
        for key, floor in figures(m["figures"]).items():
            if mart.get(key + QUARTER) != floor:
                diffs.append(f"{name} {key[0]} {QUARTER}: floor {floor} != mart {mart.get(key + QUARTER)}")
    x1 = {tuple(r[:3]): r[3:] for r in m1["marts"]}
    if len(mn["marts"]) != len(x1):
        diffs.append(f"x{scale} has {len(mn['marts'])} indicator rows, x1 {len(x1)}")
    for kode, tahun, triwulan, *values in mn["marts"]:
        factor = 1 if kode in UNSCALED else scale
        expected = [None if v is None else Decimal(v) * (factor if i < 2 else 1)
                    for i, v in enumerate(x1.get((kode, tahun, triwulan), [None] * 3))]
        if [None if v is None else Decimal(v) for v in values] != expected:
            diffs.append(f"x{scale} {kode} {tahun}Q{triwulan}: numerator, denominator, value {values}, expected "
                         f"{expected}")
    return diffs


def machine() -> str:
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    return (f"{os.cpu_count()} cores, {mem_kib / 2**20:.1f} GiB RAM, {cpu[1] if cpu else platform.machine()}, "
            f"load average {os.getloadavg()[0]:.1f} at start")


def code_hash() -> str:
    """The refresh code measured (it changes between runs): sha256 of the dbt project's models, macros, seeds
    and tests, kumkm/warehouse.py and the quality gate's expectations/."""
    dbt = [p for part in ("models", "macros", "seeds", "tests") for p in (ROOT / "dbt_project" / part).rglob("*")]
    files = sorted(p for p in [*dbt, *(ROOT / "expectations").rglob("*"), ROOT / "kumkm" / "warehouse.py"]
                   if p.is_file() and "__pycache__" not in p.parts)
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:12]


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def breakdown(m: dict) -> str:
    """Where the refresh's time goes, from dbt's run_results.json."""
    run_results = m["run_results"]
    started, finished = (datetime.fromisoformat(run_results["metadata"][k])
                         for k in ("invocation_started_at", "generated_at"))
    dbt_s = (finished - started).total_seconds()
    kinds = [(r["unique_id"].split(".")[0], r["execution_time"]) for r in run_results["results"]]
    totals = {k: (sum(1 for t, _ in kinds if t == k), sum(s for t, s in kinds if t == k)) for k in dict(kinds)}
    slowest = sorted(run_results["results"], key=lambda r: -r["execution_time"])[:5]
    return (f"dbt's invocation {dbt_s:.1f} s: "
            + ", ".join(f"{n} {k}s {s:.1f} s" for k, (n, s) in sorted(totals.items(), key=lambda kv: -kv[1][1]))
            + f", set-up and parsing {dbt_s - run_results['elapsed_time']:.1f} s; outside it (Python start-up of"
            f" kumkm and dbt, quality gate, publishing) {m['last_refresh_s'] - dbt_s:.1f} s; slowest nodes: "
            + ", ".join(f"{r['unique_id'].split('.')[2]} {r['execution_time']:.1f} s" for r in slowest))


def report(scale: int, repeat: int, host: str, code: str, m1: dict, mn: dict, diffs: list[str]) -> str:
    header = ["scale", "events", "kumkm refresh s", "peak", "floor s", "floor peak", "refresh/floor"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    cpu = []
    for n, m in ((1, m1), (scale, mn)):
        r, f = m["refresh"], m["floor"]
        lines.append(f"| ×{n} | {m['events']:,} | {r.seconds:.1f} | {mib(r.peak)} | {f.seconds:.2f} | {mib(f.peak)} "
                     f"| {r.seconds / f.seconds:.1f}× |")
        cpu.append(f"×{n} refresh {r.cpu:.1f} s, floor {f.cpu:.2f} s ({r.cpu / f.cpu:.1f}×)")
    passed = mn["refresh"].seconds <= GOAL * mn["floor"].seconds
    quarters = len({tuple(r[1:3]) for r in mn["marts"]})
    nodes = [r["unique_id"].split(".")[0] for r in mn["run_results"]["results"]]
    checks = "all equal" if not diffs else f"{len(diffs)} DIFFERENCES (printed by the script), e.g. {diffs[0]}"
    return f"""## Refresh

`.venv/bin/python benchmarks/refresh.py --scale {scale} --repeat {repeat}` on {datetime.now():%Y-%m-%d %H:%M}

- machine: {host}
- DuckDB {version("duckdb")}, dbt-core {version("dbt-core")}, dbt-duckdb {version("dbt-duckdb")}, \
Python {platform.python_version()}, refresh code {code}

{chr(10).join(lines)}

Goal: refresh --all ≤ {GOAL:g}× the floor at ×{scale}: **{"PASS" if passed else "FAIL"}**

- Read the ratio fairly: the floor computes the {len(mn['figures'])} computed indicators of {QUARTER[0]}Q{QUARTER[1]} only;
  `kumkm refresh --all` builds all {quarters} quarters with data, every staging view, intermediate table and mart
  ({nodes.count("model")} models, {nodes.count("seed")} seeds: the indicator mart but also budget roll-ups and per-kecamatan
  counts), runs {nodes.count("test")} dbt data tests and the quality gate's staging and marts suites, and publishes
  the marts to serving.duckdb. The raw suites ran on each batch when it was ingested (for ×{scale}: untimed, on
  each replicated batch after replicating), as `kumkm ingest` does, and the gate does not read them again.
- kumkm: wall time of `kumkm refresh --all` (Python and dbt start-up, dbt parsing included) on the home with its
  transform and serving databases removed, so both scales build from scratch.
- floor: one hand-written DuckDB statement (`FLOOR_SQL` in refresh.py): numerator and denominator of each
  computed indicator at D = {D}, latest extraction per record key, from the event store opened read-only in a
  fresh Python process (start-up and `import duckdb` included).
- ×{scale}: the ×1 event store replicated {scale} times in DuckDB SQL: copy 0 keeps the ×1 keys, copy c > 0 has its own
  cooperatives (16-digit nik starting 3275 + c), activities, businesses, facilitations and payments (id_kegiatan,
  id_umkm, id_pembinaan, no_sp2d, record_key and event_id suffixed `~c`); the budget and the manual figures are
  kept once and each payment is split in {scale} parts that add up to it exactly.
- checks: the floor's figures against marts.fct_indicator_quarterly for {QUARTER[0]}Q{QUARTER[1]} at both scales, and
  every value of every quarter at ×{scale} against ×1 (numerators and denominators ×{scale}, PRG-01A's ×1): {checks}.
- time: the fastest of {repeat} runs. CPU time (user + system of the process tree from wait4, less disturbed by
  other load on the machine than wall time): {"; ".join(cpu)}.
- peak: per run, the larger of the largest sum of the resident set sizes of the process and all its descendants
  (kumkm and its dbt child; shared pages count once per process), read from /proc every {POLL * 1000:.0f} ms, and the
  largest single-process ru_maxrss from wait4; the highest over the runs.
- where the last ×{scale} refresh's {mn['last_refresh_s']:.1f} s go (dbt's run_results.json): {breakdown(mn)}.
"""


def write_section(section: str) -> None:
    """Replaces the `## Refresh` section of RESULTS.md, keeping any other section."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## Refresh\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="copies of the sample's events (default 100)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement; the fastest counts")
    args = parser.parse_args()
    host, code = machine(), code_hash()
    WORK.mkdir(parents=True, exist_ok=True)
    x1, xn = build(args.scale)
    m1, mn = measure(x1, args.repeat), measure(xn, args.repeat)
    diffs = differences(m1, mn, args.scale)
    for diff in diffs:
        print(diff)
    host += f", {os.getloadavg()[0]:.1f} at end"
    if code_hash() != code:
        code += f" (WARNING: changed during the run, now {code_hash()}: rerun)"
    section = report(args.scale, args.repeat, host, code, m1, mn, diffs)
    write_section(section)
    print(section)
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
