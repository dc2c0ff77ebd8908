"""Refresh benchmark: `kumkm refresh --all` against its floor, and a new quarter ingested and refreshed.

Run: .venv/bin/python benchmarks/refresh.py [--scale N] [--repeat K]. Builds the sample warehouse (`kumkm demo`) in
benchmarks/work/refresh_x1 and an N-fold copy of its event store in benchmarks/work/refresh_x<N>, times
`kumkm refresh --all` from scratch and the floor (benchmarks/floor.sql) on both. Then, on the xN home, it ingests a
new quarter's exports (2026Q1, about 1% of its events) and refreshes the quarters they change, against a full rebuild
of the same home. Every row of the published indicator and budget marts is compared with the floor's after each
refresh; any difference is printed and the script exits non-zero. Writes the `Refresh` section of
benchmarks/RESULTS.md. Every DuckDB step runs in a child process, so this one stays small (a child's ru_maxrss
counts the parent's resident set at fork).
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
FLOOR = ROOT / "benchmarks" / "floor.sql"
KUMKM = str(Path(sys.executable).parent / "kumkm")
X1_SECONDS = 10.0         # refresh --all at x1 takes at most this long
FLOOR_RATIO = 3.0         # refresh --all at xN at most this many times the floor's time
MAX_PEAK = 2 << 30        # bytes: refresh --all's peak at xN stays below this
NEW_QUARTER_SHARE = 0.15  # a new quarter ingested and refreshed in at most this share of a full rebuild's time
POLL = 0.05               # seconds between two reads of the process tree's resident set
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
EVENT_TABLES = ("ods.rat", "ods.kegiatan", "sip3.umkm", "sip3.pembinaan", "ledger.anggaran", "ledger.realisasi",
                "manual.indikator")
# The published rows compared with the floor's: the key columns, then the figures (the last `FIGURES[table]`).
MARTS = {
    "fct_indicator_quarterly": "select kode_indikator, tahun, triwulan, numerator, denominator, nilai "
                               "from marts.fct_indicator_quarterly",
    "fct_budget_quarterly": "select level, kode, tahun, triwulan, pagu_murni, pagu, realisasi, serapan_pct "
                            "from marts.fct_budget_quarterly",
}
FIGURES = {"fct_indicator_quarterly": 3, "fct_budget_quarterly": 4}
FLOOR_TABLES = {"fct_indicator_quarterly": "from indicator_figures", "fct_budget_quarterly": "from budget_figures"}

# Runs the script argv[3] on the DuckDB file argv[1], opened read-write when argv[2] is 'rw', else read-only, then
# prints as JSON the rows of each query of the JSON object argv[4], under its name.
DUCKDB = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] != 'rw')
con.execute('set enable_progress_bar = false')
if sys.argv[3]:
    con.execute(sys.argv[3])
print(json.dumps({name: con.execute(sql).fetchall() for name, sql in json.loads(sys.argv[4]).items()}, default=str))
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

# dbt's parse of the project for the home, as the refreshes of a home that has been refreshed before start from it
# (a partial parse keeps to the home it was made in).
PARSE_PROJECT = """
from kumkm.home import Home
from kumkm.warehouse import home_in_env, parsed_project
home = Home.from_env()
home.dbt_target.mkdir(parents=True, exist_ok=True)
with home_in_env(home):
    parsed_project(home.dbt_target)
"""

# What `kumkm refresh` imports before it builds (dbt is imported when it runs): start-up and imports, alone.
IMPORTS = "import kumkm.cli, kumkm.refresh, dbt.cli.main"

# The quality gate of a refresh on the home's built warehouse, alone (with the imports above).
GATE = """
import kumkm.cli, dbt.cli.main
from kumkm.home import Home
from kumkm.refresh import validate
validate(Home.from_env())
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

# A new quarter's exports, 2026Q1, in the contract's CSV format, written from an event store into {landing}/<source>/:
# per kind about 1% as many rows as it holds events, each dated in 2026Q1 (so only quarters from 2026Q1 on change).
NEW_QUARTER = """
create temp macro day_in_2026q1(key) as date '2026-01-05' + (hash(key) % 85)::int;  -- 5 Jan .. 30 Mar

-- book year 2025's RAT, held in 2026Q1, of as many cooperatives as 1% of the rat events, after their latest report
copy (
    select nik, nama_koperasi, jenis_koperasi, kecamatan, kelurahan, status_koperasi, 2025 as tahun_buku,
        day_in_2026q1(nik) as tanggal_rat, jumlah_anggota, jumlah_pengurus, (aset * 1.04)::decimal(18, 2) as aset,
        (volume_usaha * (0.95 + hash(nik, 'volume') % 16 * 0.01))::decimal(18, 2) as volume_usaha, shu, modal_sendiri,
        modal_luar
    from (from ods.rat qualify row_number() over (partition by nik order by tahun_buku desc, extracted_on desc) = 1)
    qualify row_number() over (order by hash(nik)) <= (select count(*) // 100 from ods.rat)
) to '{landing}/ods/rat_20260331.csv' (header);

-- supervision activities, 1% as many as there are, each like an earlier one
copy (
    select printf('KGT-2026-%06d', row_number() over (order by hash(record_key))) as id_kegiatan, nik,
        day_in_2026q1(record_key) as tanggal, jenis, hasil, jumlah_peserta, kode_sub_kegiatan
    from ods.kegiatan
    qualify row_number() over (order by hash(record_key)) <= (select count(*) // 100 from ods.kegiatan)
) to '{landing}/ods/kegiatan_20260331.csv' (header);

-- a new observation of as many businesses as 1% of the umkm observations: their latest, sales up by 0 to 30%
copy (
    select id_umkm, nama_usaha, nama_pemilik, nik_pemilik, no_hp, alamat, kelurahan, kecamatan, sektor_usaha, skb,
        tanggal_skb, nib, tanggal_nib, modal_usaha,
        (omzet_tahunan * (1 + hash(id_umkm, 'omzet') % 31 * 0.01))::decimal(18, 2) as omzet_tahunan, tenaga_kerja,
        informal_pkl, tdu_pkl, status_usaha, day_in_2026q1(id_umkm) as tanggal_pendataan
    from (
        from sip3.umkm
        qualify row_number() over (partition by id_umkm order by tanggal_pendataan desc, extracted_on desc) = 1
    )
    qualify row_number() over (order by hash(id_umkm)) <= (select count(*) // 100 from sip3.umkm)
) to '{landing}/sip3/umkm_20260331.csv' (header);

-- facilitations, 1% as many as there are, each like an earlier one
copy (
    select printf('PBN-2026-%07d', row_number() over (order by hash(record_key))) as id_pembinaan, id_umkm,
        day_in_2026q1(record_key) as tanggal, jenis, kode_sub_kegiatan
    from sip3.pembinaan
    qualify row_number() over (order by hash(record_key)) <= (select count(*) // 100 from sip3.pembinaan)
) to '{landing}/sip3/pembinaan_20260331.csv' (header);

-- the 2026 budget as adopted (MURNI) on 2 January: each sub-activity's pagu in the 2025 version last in force
create temp table budget_2026 as
select 2026 as tahun_anggaran, 'MURNI' as tahap, date '2026-01-02' as tanggal_penetapan, kode_sub_kegiatan,
    nama_program, nama_kegiatan, nama_sub_kegiatan, pagu
from ledger.anggaran
where tahun_anggaran = 2025
qualify row_number() over (partition by kode_sub_kegiatan order by tanggal_penetapan desc, extracted_on desc) = 1;
copy budget_2026 to '{landing}/ledger/anggaran_20260102.csv' (header);

-- payments, 1% as many as there are, each like one of 2025, from the 2026 budget
copy (
    select 2026 as tahun_anggaran,
        printf('3275/%06d/LS/DISKOPUKM/2026', row_number() over (order by hash(record_key))) as no_sp2d,
        day_in_2026q1(record_key) as tanggal_sp2d, kode_sub_kegiatan, kode_rekening, uraian, nilai
    from ledger.realisasi
    where tahun_anggaran = 2025 and kode_sub_kegiatan in (select kode_sub_kegiatan from budget_2026)
    qualify row_number() over (order by hash(record_key)) <= (select count(*) // 100 from ledger.realisasi)
) to '{landing}/ledger/realisasi_20260331.csv' (header);
"""


def process_tree(root: int) -> dict[int, tuple[int, float]]:
    """Root and all its descendants, from /proc: each one's resident set (bytes) and CPU time so far (user +
    system, seconds). A child with its parent's virtual and resident sizes has not run a program of its own yet
    (a JVM starts each helper command by a vfork, from a thread whose name the child takes, that shares the JVM's
    memory until exec): its resident set is its parent's, counted once."""
    children, stats = {}, {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(name))
            stats[int(name)] = (int(fields[20]), int(fields[21]) * PAGE), (int(fields[11]) + int(fields[12])) / TICKS
    tree, todo = {}, [(root, None)]
    while todo:
        pid, parent = todo.pop()
        if pid in stats:
            sizes, cpu = stats[pid]
            tree[pid] = 0 if parent is not None and sizes == stats[parent][0] else sizes[1], cpu
            todo += [(child, pid) for child in children.get(pid, [])]
    return tree


class Run(NamedTuple):
    seconds: float  # wall time
    cpu: float      # user + system time of the process tree: see `run`
    peak: int       # bytes: see `report`
    output: str
    started: float  # when, in seconds since the epoch


def run(cmd: list[str], home: Path | None = None, cwd: Path = ROOT) -> Run:
    """Runs cmd to completion, polling its process tree. Its CPU time is the larger of wait4's (the process and
    every descendant it waited for) and the sum of the last CPU time read of each process of the tree (which
    counts descendants never waited for, such as a JVM, up to their last reading)."""
    env = {**os.environ, "KUMKM_HOME": str(home)} if home else None
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started, clock = time.time(), time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        tree_peak, cpu_read, done = 0, {}, threading.Event()

        def poll() -> None:
            nonlocal tree_peak
            while not done.wait(POLL):
                tree = process_tree(proc.pid)
                tree_peak = max(tree_peak, sum(rss for rss, _ in tree.values()))
                cpu_read.update((pid, cpu) for pid, (_, cpu) in tree.items())

        poller = threading.Thread(target=poll)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - clock
        done.set()
        poller.join()
        out.seek(0), err.seek(0)
        output = out.read()
        if os.waitstatus_to_exitcode(status):
            sys.exit(f"{' '.join(cmd)[:300]} failed:\n{output[-3000:]}\n{err.read()[-3000:]}")
    cpu = max(usage.ru_utime + usage.ru_stime, sum(cpu_read.values()))
    return Run(seconds, cpu, max(tree_peak, usage.ru_maxrss * 1024), output, started)


def duckdb_child(db: Path, script: str = "", queries: dict[str, str] | None = None,
                 write: bool = False) -> tuple[Run, dict[str, list]]:
    """The script, then the queries' rows, on the DuckDB file in a fresh process."""
    done = run([sys.executable, "-c", DUCKDB, str(db), "rw" if write else "ro", script, json.dumps(queries or {})])
    return done, json.loads(done.output)


def combined(runs: list[Run]) -> Run:
    """Runs one after the other as one step: their times add up, the peak is the highest."""
    return Run(sum(r.seconds for r in runs), sum(r.cpu for r in runs), max(r.peak for r in runs),
               "".join(r.output for r in runs), runs[0].started)


def best(runs: list[Run]) -> Run:
    """The fastest wall and CPU times and the highest peak of repeated runs."""
    fastest = min(runs, key=lambda r: r.seconds)
    return Run(fastest.seconds, min(r.cpu for r in runs), max(r.peak for r in runs), "", fastest.started)


def build(scale: int) -> tuple[Path, Path]:
    x1, xn = WORK / "refresh_x1", WORK / f"refresh_x{scale}"
    for home in (x1, xn):
        shutil.rmtree(home, ignore_errors=True)
    run([KUMKM, "demo"], x1)
    xn.mkdir(parents=True)
    duckdb_child(xn / "events.duckdb", REPLICATE.format(x1=x1 / "events.duckdb", n=scale), write=True)
    run([sys.executable, "-c", VALIDATE_AS_INGESTED], xn)
    run([sys.executable, "-c", PARSE_PROJECT], xn)
    return x1, xn


def refresh_from_scratch(home: Path) -> Run:
    """`kumkm refresh --all` on the home without its transform and serving databases and without the record of
    its last refresh: a build from scratch. dbt's partial parse (dbt/partial_parse.msgpack) stays, as in any home
    refreshed before."""
    for built in ("transform.duckdb", "serving.duckdb", "dbt/last_refresh.json"):
        (home / built).unlink(missing_ok=True)
    return kumkm_refresh(home, "--all")


def kumkm_refresh(home: Path, *args: str) -> Run:
    done = run([KUMKM, "refresh", *args], home)
    if not done.output.startswith("refreshed"):
        sys.exit(f"`kumkm refresh {' '.join(args)}` on {home} built nothing: {done.output}")
    return done


def floor(home: Path) -> tuple[Run, dict[str, list]]:
    """benchmarks/floor.sql on the home's event store in a fresh process, start-up and `import duckdb` included."""
    return duckdb_child(home / "events.duckdb", FLOOR.read_text(), FLOOR_TABLES)


def last_quarter(home: Path) -> str:
    """The latest quarter the home serves."""
    [(quarter,)] = duckdb_child(home / "serving.duckdb", queries={
        "last": "select max(tahun * 10 + triwulan) from marts.fct_indicator_quarterly"})[1]["last"]
    return f"{quarter // 10}Q{quarter % 10}"


def published(home: Path) -> dict[str, list]:
    return duckdb_child(home / "serving.duckdb", queries=MARTS)[1]


def event_count(home: Path) -> int:
    count = "select " + " + ".join(f"(select count(*) from {t})" for t in EVENT_TABLES)
    return duckdb_child(home / "events.duckdb", queries={"events": count})[1]["events"][0][0]


def keyed(rows: list, figures: int) -> dict[tuple, tuple]:
    return {tuple(r[:-figures]): tuple(None if v is None else Decimal(v) for v in r[-figures:]) for r in rows}


def differences(where: str, marts: dict[str, list], computed: dict[str, list]) -> list[str]:
    """Every published row of each mart against the floor's: the same keys, every figure equal to the digit."""
    diffs = []
    for table, figures in FIGURES.items():
        mart, floor_rows = keyed(marts[table], figures), keyed(computed[table], figures)
        if len(mart) != len(marts[table]):
            diffs.append(f"{where}: {table} has {len(marts[table]) - len(mart)} rows with a key already seen")
        for key in sorted(mart.keys() | floor_rows.keys(), key=str):
            if mart.get(key) != floor_rows.get(key):
                diffs.append(f"{where}: {table} {key}: published {mart.get(key)}, floor {floor_rows.get(key)}")
    return diffs


def run_results(home: Path) -> dict:
    return json.loads((home / "dbt" / "run_results.json").read_text())


def nodes(home: Path) -> dict[str, int]:
    """How many models, seeds and tests the home's last dbt build ran."""
    kinds = [r["unique_id"].split(".")[0] for r in run_results(home)["results"]]
    return {kind: kinds.count(kind) for kind in ("model", "seed", "test")}


def spent(home: Path, refresh: Run) -> str:
    """Where the home's last refresh spent its time: from its start to dbt's parse (Python start-up, imports),
    dbt's parse and build (their durations in dbt/logs/dbt.log; the build's nodes in dbt/run_results.json), and from
    the build's end to its own (the quality gate, publishing)."""
    logs = home / "dbt" / "logs"  # dbt rotates dbt.log at 10 MB: the refresh's parse may be in dbt.log.1
    log = "".join(path.read_text(errors="replace") for path in (logs / "dbt.log.1", logs / "dbt.log") if path.exists())
    parse_s, build_s = (float(re.findall(rf"Command `cli {command}` succeeded at \S+ after ([\d.]+) seconds", log)[-1])
                        for command in ("parse", "build"))
    results = run_results(home)
    build_start = datetime.fromisoformat(results["metadata"]["invocation_started_at"]).timestamp()
    kinds = [(r["unique_id"].split(".")[0], r["execution_time"]) for r in results["results"]]
    totals = {k: (sum(1 for t, _ in kinds if t == k), sum(s for t, s in kinds if t == k)) for k in dict(kinds)}
    slowest = sorted(results["results"], key=lambda r: -r["execution_time"])[:5]
    return (f"start-up and imports {build_start - parse_s - refresh.started:.1f} s, dbt's parse {parse_s:.1f} s, "
            f"dbt's build {build_s:.1f} s ("
            + ", ".join(f"{n} {k}s {s:.1f} s" for k, (n, s) in sorted(totals.items(), key=lambda kv: -kv[1][1]))
            + f"), then the quality gate and publishing "
            f"{refresh.started + refresh.seconds - build_start - build_s:.1f} s; slowest nodes: "
            + ", ".join(f"{r['unique_id'].split('.')[2]} {r['execution_time']:.1f} s" for r in slowest))


def measure(home: Path, name: str, repeat: int) -> dict:
    """`repeat` refreshes from scratch, then `repeat` floors; the published marts checked against the floor."""
    refreshes = [refresh_from_scratch(home) for _ in range(repeat)]
    where = spent(home, refreshes[-1])
    floors = [floor(home) for _ in range(repeat)]
    marts = published(home)
    return dict(events=event_count(home), refresh=best(refreshes), last_refresh=refreshes[-1], spent=where,
                floor=best([f for f, _ in floors]), rows={t: len(rows) for t, rows in marts.items()},
                diffs=differences(name, marts, floors[-1][1]), nodes=nodes(home))


def new_quarter_exports(xn: Path, scale: int) -> Path:
    """2026Q1's exports, written from the xN event store into their own landing folder."""
    landing = WORK / f"new_quarter_x{scale}"
    shutil.rmtree(landing, ignore_errors=True)
    for source in ("ods", "sip3", "ledger"):
        (landing / source).mkdir(parents=True)
    duckdb_child(xn / "events.duckdb", NEW_QUARTER.format(landing=landing))
    return landing


def last_batch(home: Path) -> int:
    return duckdb_child(home / "events.duckdb", queries={"batch": "select max(batch_id) from ingest.batches"}
                        )[1]["batch"][0][0]


def quarters_between(first: date, last: date) -> list[str]:
    first_q, last_q = (d.year * 4 + (d.month - 1) // 3 for d in (first, last))
    return [f"{q // 4}Q{q % 4 + 1}" for q in range(first_q, last_q + 1)]


class Delivery(NamedTuple):
    """What an ingest added: its events, the quarters they change, and how long reading, checking and storing its
    files took (ingest.batches)."""
    events: int
    quarters: list[str]
    storing_s: float


def delivered(home: Path, after_batch: int) -> Delivery:
    """What the batches after `after_batch` added. The quarters they change are those the landing sensor would
    build (orchestration/automation.py): every figure replays the events valid on or before its quarter's end, so
    the quarter of their earliest valid date and every later one with data."""
    valid_dates = " union all ".join(f"select batch_id, valid_date from {t}" for t in EVENT_TABLES)
    _, rows = duckdb_child(home / "events.duckdb", queries={"new": f"""
        select count(*) filter (where batch_id > {after_batch}),
            min(valid_date) filter (where batch_id > {after_batch}), max(valid_date),
            (select sum(seconds) from ingest.batches where batch_id > {after_batch})
        from ({valid_dates})"""})
    events, earliest, last_day, storing_s = rows["new"][0]
    return Delivery(events, quarters_between(date.fromisoformat(earliest), date.fromisoformat(last_day)), storing_s)


def ingest_and_refresh(home: Path, exports: Path) -> tuple[Run, list[Run], Delivery]:
    """The landing sensor's path: `kumkm ingest` of the exports, then `kumkm refresh --quarter` of each quarter
    their events change (deciding which, in between, is not timed)."""
    before = last_batch(home)
    ingested = run([KUMKM, "ingest", str(exports)], home)
    delivery = delivered(home, before)
    return ingested, [kumkm_refresh(home, "--quarter", q) for q in delivery.quarters], delivery


class FixedCosts(NamedTuple):
    """What a quarter's refresh costs on a home whatever was delivered, and its parts, each alone in a fresh
    process: start-up and imports; dbt's parse and the quality gate (less the imports they include)."""
    again: Run          # `kumkm refresh --quarter` of the same quarters once more, with nothing new ingested
    imports: Run
    parse_cpu: float
    gate_cpu: float
    nodes: dict[str, int]
    spent: str


def fixed_costs(home: Path, quarters: list[str]) -> FixedCosts:
    """The refresh of the quarters again on the home, with nothing ingested since (the record of the last refresh
    removed, else it finds nothing new): every model and test of the quarters, the staging and the businesses'
    observations continued from the last build with no new event; then its parts alone."""
    (home / "dbt" / "last_refresh.json").unlink()
    again = combined([kumkm_refresh(home, "--quarter", q) for q in quarters])
    where, built = spent(home, again), nodes(home)
    imports = run([sys.executable, "-c", IMPORTS])
    parse = run([sys.executable, "-c", PARSE_PROJECT], home)
    gate = run([sys.executable, "-c", GATE], home)
    return FixedCosts(again, imports, parse.cpu - imports.cpu, gate.cpu - imports.cpu, built, where)


def new_quarter(xn: Path, scale: int, repeat: int) -> dict:
    """On the xN home as its last full refresh left it, `repeat` times: the new quarter's exports ingested and
    refreshed as one timed step (the home restored from a copy before each, at the same path, which keeps dbt's
    partial parse valid); then the same refresh once more with nothing new (its fixed cost); then `repeat` full
    rebuilds of the home with the new quarter, and its floor."""
    exports = new_quarter_exports(xn, scale)
    before = WORK / f"refresh_x{scale}_before_2026q1"
    shutil.rmtree(before, ignore_errors=True)
    shutil.copytree(xn, before)
    steps = []
    for i in range(repeat):
        if i:
            shutil.rmtree(xn)
            shutil.copytree(before, xn)
        steps.append(ingest_and_refresh(xn, exports))
    shutil.rmtree(before)
    _, refreshed, delivery = steps[-1]
    where = spent(xn, refreshed[-1])
    diffs = differences(f"x{scale} after ingest and refresh --quarter", published(xn), floor(xn)[1])
    fixed = fixed_costs(xn, delivery.quarters)
    rebuilt = measure(xn, f"x{scale} with 2026Q1 rebuilt", repeat)
    return dict(rebuilt, delivery=delivery, step_spent=where, diffs=diffs + rebuilt["diffs"], fixed=fixed,
                ingest=best([ingested for ingested, _, _ in steps]),
                quarter_refresh=best([combined(refreshed) for _, refreshed, _ in steps]),
                step=best([combined([ingested, *refreshed]) for ingested, refreshed, _ in steps]))


def machine() -> str:
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    return (f"{len(os.sched_getaffinity(0))} cores (nproc), {mem_kib / 2**20:.1f} GiB RAM, "
            f"{cpu[1] if cpu else platform.machine()}")


def load(at_start: float) -> str:
    """The 1-minute load averages at the start and at the end of a run, flagged when other work shared the cores."""
    at_end = os.getloadavg()[0]
    busy = max(at_start, at_end) > len(os.sched_getaffinity(0)) / 2
    return (f"load average {at_start:.1f} at start, {at_end:.1f} at end"
            + (": **measured under load**, other work shared the cores: wall times are inflated, CPU times less so"
               if busy else ""))


def commit() -> str:
    """The commit measured, and whether the measured code differs from it."""
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    changed = subprocess.run(["git", "status", "--porcelain", "--", "kumkm", "ingestion", "expectations",
                              "dbt_project", "benchmarks/refresh.py", "benchmarks/floor.sql"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    return head + (" with uncommitted changes" if changed else "")


def code_hash() -> str:
    """The refresh code measured, to notice a change during the run: sha256 of the dbt project's models, macros,
    seeds and tests, kumkm/warehouse.py, the quality gate's expectations/ and the floor."""
    dbt = [p for part in ("models", "macros", "seeds", "tests") for p in (ROOT / "dbt_project" / part).rglob("*")]
    files = sorted(p for p in [*dbt, *(ROOT / "expectations").rglob("*"), ROOT / "kumkm" / "warehouse.py", FLOOR]
                   if p.is_file() and "__pycache__" not in p.parts)
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:12]


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def verdict(passed: bool) -> str:
    return "**PASS**" if passed else "**FAIL**"


def full_refresh_table(scale: int, m1: dict, mn: dict) -> str:
    header = ["scale", "events", "refresh s", "refresh CPU s", "refresh peak", "floor s", "floor CPU s", "floor peak",
              "refresh/floor", "in CPU"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for n, m in ((1, m1), (scale, mn)):
        r, f = m["refresh"], m["floor"]
        lines.append(f"| ×{n} | {m['events']:,} | {r.seconds:.1f} | {r.cpu:.1f} | {mib(r.peak)} | {f.seconds:.2f} "
                     f"| {f.cpu:.2f} | {mib(f.peak)} | {r.seconds / f.seconds:.1f}× | {r.cpu / f.cpu:.1f}× |")
    return "\n".join(lines)


def new_quarter_table(scale: int, q: dict) -> str:
    added = q["delivery"].events
    refreshes = " + ".join(f"`kumkm refresh --quarter {quarter}`" for quarter in q["delivery"].quarters)
    rows = [(f"`kumkm ingest` of 2026Q1's exports ({added / (q['events'] - added):.1%} of ×{scale}'s events)",
             f"{added:,} added", q["ingest"]),
            (refreshes, "", q["quarter_refresh"]),
            ("**the step: both**", "", q["step"]),
            ("full rebuild: `kumkm refresh --all` from scratch on the same home", f"{q['events']:,}", q["refresh"]),
            ("floor on the same home, for reference", "", q["floor"]),
            (f"{refreshes} again, nothing new ingested: its fixed cost", "", q["fixed"].again)]
    full = q["refresh"]
    return "\n".join(["| | events | s | CPU s | peak | s / full | CPU / full |", "|---|---|---|---|---|---|---|"]
                      + [f"| {name} | {events} | {r.seconds:.2f} | {r.cpu:.2f} | {mib(r.peak)} "
                         f"| {r.seconds / full.seconds:.1%} | {r.cpu / full.cpu:.1%} |" for name, events, r in rows])


def fixed_cost_parts(fixed: FixedCosts, full: Run) -> str:
    """A fixed cost in CPU seconds, part by part, and its share of a full rebuild's."""
    rest = fixed.again.cpu - fixed.imports.cpu - fixed.parse_cpu - fixed.gate_cpu
    built = fixed.nodes
    return (f"{fixed.again.cpu:.1f} s CPU ({fixed.again.cpu / full.cpu:.0%} of the full rebuild's "
            f"{full.cpu:.1f}): start-up and imports {fixed.imports.cpu:.1f}, dbt's parse {fixed.parse_cpu:.1f}, the "
            f"quality gate {fixed.gate_cpu:.1f}, dbt's build ({built['model']} models, {built['test']} tests, "
            f"{built['seed']} seeds) and publishing {rest:.1f}")


def report(scale: int, repeat: int, host: str, code: str, m1: dict, mn: dict, q: dict, diffs: list[str]) -> str:
    stated = "" if scale == 100 else " (the issue states it at ×100)"
    ratio = mn["refresh"].seconds / mn["floor"].seconds
    share, cpu_share = q["step"].seconds / q["refresh"].seconds, q["step"].cpu / q["refresh"].cpu
    changed = ", ".join(q["delivery"].quarters)
    rows = ", ".join(f"{n} rows of marts.{t}" for t, n in q["rows"].items())
    checks = "all equal" if not diffs else f"{len(diffs)} DIFFERENCES (printed by the script), e.g. {diffs[0]}"
    built = mn["nodes"]
    return f"""## Refresh

`.venv/bin/python benchmarks/refresh.py --scale {scale} --repeat {repeat}` on {datetime.now():%Y-%m-%d %H:%M}

- machine: {host}
- commit {code}; DuckDB {version("duckdb")}, dbt-core {version("dbt-core")}, dbt-duckdb {version("dbt-duckdb")}, \
Python {platform.python_version()}

### `kumkm refresh --all` against its floor

{full_refresh_table(scale, m1, mn)}

- ×1 `kumkm refresh --all` ≤ {X1_SECONDS:g} s: {m1['refresh'].seconds:.1f} s \
{verdict(m1['refresh'].seconds <= X1_SECONDS)}
- ×{scale} `kumkm refresh --all` ≤ {FLOOR_RATIO:g}× the floor{stated}: {ratio:.1f}× {verdict(ratio <= FLOOR_RATIO)}
- ×{scale} peak < {mib(MAX_PEAK)}{stated}: {mib(mn['refresh'].peak)} {verdict(mn['refresh'].peak < MAX_PEAK)}

### A new quarter: ingested and refreshed against a full rebuild (×{scale})

{new_quarter_table(scale, q)}

- ingest and refresh ≤ {NEW_QUARTER_SHARE:.0%} of the full rebuild{stated}: {share:.1%} \
{verdict(share <= NEW_QUARTER_SHARE)} ({cpu_share:.1%} in CPU time)
- the fixed cost of a quarter's refresh on this home, whatever was delivered: {fixed_cost_parts(q['fixed'], q['refresh'])};
  with the ingest's {q['ingest'].cpu:.1f}, {(q['fixed'].again.cpu + q['ingest'].cpu) / q['refresh'].cpu:.0%} of the
  full rebuild's CPU time is spent before any new event counts
- the tool's own share of it, the same on the ×1 home (`kumkm refresh --quarter {m1['fixed_quarter']}` again,
  nothing new; its data take milliseconds): {fixed_cost_parts(m1['fixed'], q['refresh'])}, \
{(m1['fixed'].again.cpu - m1['fixed'].imports.cpu - m1['fixed'].parse_cpu - m1['fixed'].gate_cpu)
   / sum(m1['fixed'].nodes.values()) * 1000:.0f} ms of CPU per dbt node

### Checks: every published row against the floor

Every row of marts.fct_indicator_quarterly (kode_indikator, tahun, triwulan: numerator, denominator, nilai) and of
marts.fct_budget_quarterly (level, kode, tahun, triwulan: pagu_murni, pagu, realisasi, serapan_pct) against the
floor's, to the digit, at ×1 and ×{scale} after `refresh --all`, after the new quarter's ingest and refresh, and after
the full rebuild ({rows}): {checks}.

### What is measured

- kumkm: wall time of the `kumkm` commands (Python start-up included; dbt runs in the process). A full refresh
  is `kumkm refresh --all` from scratch: the home's transform.duckdb, serving.duckdb and dbt/last_refresh.json are
  removed first (else the refresh finds nothing new and builds nothing); dbt/partial_parse.msgpack stays, as in any
  home refreshed before (the ×{scale} home gets one from an untimed `dbt parse` after it is built). It builds every
  quarter with data ({built["model"]} models, {built["seed"]} seeds, {built["test"]} dbt data tests:
  the indicator and budget marts, but also per-kecamatan counts, the published-figure audit, dimensions), runs the
  quality gate's staging and marts suites and publishes serving.duckdb. The raw suites ran on each batch when it was
  ingested (for ×{scale}: untimed, on each replicated batch), as `kumkm ingest` does, and the gate does not read them
  again.
- floor: benchmarks/floor.sql, a hand-written DuckDB script that computes what the refresh publishes in those two
  marts, every quarter with data, from the event store (latest extraction per record key) opened read-only, run in a
  fresh Python process (start-up, `import duckdb`, fetching and printing the rows included).
- ×{scale}: the ×1 event store replicated {scale} times in DuckDB SQL: copy 0 keeps the ×1 keys, copy c > 0 has its
  own cooperatives (16-digit nik starting 3275 + c), activities, businesses, facilitations and payments
  (id_kegiatan, id_umkm, id_pembinaan, no_sp2d, record_key and event_id suffixed `~c`); the budget and the manual
  figures are kept once and each payment is split in {scale} parts that add up to it exactly.
- the new quarter: 2026Q1's exports written as CSV (contract columns, ISO dates, plain amounts) from the ×{scale}
  store: per kind about 1% as many rows as it holds events (book year 2025's RATs held in 2026Q1, supervision
  activities, new observations of businesses with sales up 0 to 30%, facilitations, payments), plus the 2026 MURNI
  budget (the 2025 pagu in force). Every row is dated 5 Jan to 30 Mar 2026 (RATs all with their tanggal_rat, so none
  takes effect on 31 Dec 2025), so, as the landing sensor decides (from the quarter of the new events' earliest valid
  date to the last quarter with data), only {changed} changes. The step, on the ×{scale} home as its last full
  refresh left it (restored from a copy before each run, at the same path, so dbt's partial parse holds), is
  `kumkm ingest` of the folder (with its raw suites' validation) then `kumkm refresh --quarter` of each quarter
  changed; deciding which, in between, is not timed. That refresh continues the staging tables and
  int_umkm_pendataan from the last build with the records of the new batches (their batch watermark,
  dbt_project/macros/batch_watermark.sql) and builds every other model and test of the quarter, the seeds and the
  models built from them alone left out. The full rebuild is `kumkm refresh --all` from scratch on that home with
  the new quarter.
- the fixed cost: the step's refresh once more on the same home with nothing new ingested (the record of the last
  refresh removed), and its parts each alone in a fresh process: start-up and imports (`{IMPORTS}`), dbt's parse
  of the project for the home and the quality gate (`kumkm.refresh.validate`), the last two less the imports;
  the rest is dbt's build and publishing.
- time: best of {repeat}; CPU time: user + system of the process tree (wait4), less disturbed by other
  load on the machine than wall time.
- peak: per run, the larger of the largest sum of the resident set sizes of the process and all its descendants,
  read from /proc every {POLL * 1000:.0f} ms, and the largest single-process ru_maxrss from wait4; the highest over
  the runs.

### Where the time goes

- the last ×1 full refresh ({m1['last_refresh'].seconds:.1f} s): {m1['spent']}.
- the last ×{scale} full refresh ({mn['last_refresh'].seconds:.1f} s): {mn['spent']}.
- the new-quarter step's `kumkm ingest` ({q['ingest'].seconds:.1f} s, best): reading, checking and storing the
  files {q['delivery'].storing_s:.1f} s (ingest.batches, last run), the rest is start-up, imports and the raw suites'
  validation; its last `kumkm refresh --quarter`: {q['step_spent']}.
- the same refresh again with nothing new: {q['fixed'].spent}; at ×1 ({m1['fixed_quarter']}): {m1['fixed'].spent}.
"""


def write_section(section: str) -> None:
    """Replaces the section of RESULTS.md with the same `## ` title, keeping every other section."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\n"
    title = section.splitlines()[0]
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="copies of the sample's events (default 100)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement; the fastest counts")
    args = parser.parse_args()
    if args.scale < 2:
        parser.error("--scale must be at least 2")
    at_start, code = os.getloadavg()[0], code_hash()
    WORK.mkdir(parents=True, exist_ok=True)
    x1, xn = build(args.scale)
    m1, mn = measure(x1, "x1", args.repeat), measure(xn, f"x{args.scale}", args.repeat)
    m1["fixed_quarter"] = last_quarter(x1)
    m1["fixed"] = fixed_costs(x1, [m1["fixed_quarter"]])
    q = new_quarter(xn, args.scale, args.repeat)
    diffs = m1["diffs"] + mn["diffs"] + q["diffs"]
    for diff in diffs:
        print(diff)
    host = f"{machine()}, {load(at_start)}"
    described = commit()
    if code_hash() != code:
        described += " (WARNING: the refresh code changed during the run: rerun)"
    section = report(args.scale, args.repeat, host, described, m1, mn, q, diffs)
    write_section(section)
    print(section)
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
