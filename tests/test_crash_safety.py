"""A file's events, registry row and rejects commit together or not at all, even under SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import KEGIATAN_HEADER, PEMBINAAN_HEADER, query, write_csv

KUMKM = str(Path(sys.executable).parent / "kumkm")
ROWS = 400_000


def landing(root: Path) -> Path:
    write_csv(root / "sip3" / "pembinaan_20250101.csv", PEMBINAAN_HEADER,
              [[f"P-{i}", f"U-{i}", "2025-01-01", "PELATIHAN"] for i in range(100)])
    jenis = ["PEMERIKSAAN", "DIKLAT", "NIB_SIMPAN_PINJAM"]
    rows = [[f"K-{i}", f"3275{i:012d}", f"{1 + i % 28:02d}/02/2025", jenis[i % 3],
             "PATUH" if i % 3 == 0 else "", 2 if i % 3 == 1 else ""] for i in range(ROWS)]
    rows[7][3] = "RAPAT"  # one rejected row
    write_csv(root / "ods" / "kegiatan_20250301.csv", KEGIATAN_HEADER, rows)
    return root


def state(home: Path) -> tuple:
    db = home / "events.duckdb"
    return (query(db, "select count(*), count(distinct event_id) from ods.kegiatan")[0],
            query(db, "select count(*) from sip3.pembinaan")[0],
            query(db, "select count(*) from ingest.quarantine")[0],
            query(db, "select file_name, rows_read, rows_added, rows_known, rows_rejected "
                      "from ingest.batches where status = 'ingested' order by file_name"))


def run(home: Path, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([KUMKM, "ingest", str(folder)], env={**os.environ, "KUMKM_HOME": str(home)},
                          capture_output=True, text=True, check=True)


def kill_while_reading(home: Path, folder: Path, file_name: str, delay: float) -> int:
    proc = subprocess.Popen([KUMKM, "-v", "ingest", str(folder)], env={**os.environ, "KUMKM_HOME": str(home)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if file_name in line:
            break
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    return proc.wait()


def test_an_ingest_killed_mid_file_ends_like_a_clean_run_after_a_rerun(tmp_path):
    folder = landing(tmp_path / "landing")
    run(tmp_path / "clean", folder)
    clean = state(tmp_path / "clean")
    assert clean[0] == (ROWS - 1, ROWS - 1)

    crashed = tmp_path / "crashed"
    assert kill_while_reading(crashed, folder, "kegiatan_20250301.csv", delay=0.5) == -signal.SIGKILL
    partial = state(crashed)
    assert partial[0] == (0, 0) and partial[2] == (0,)  # nothing of the killed file
    assert [b[0] for b in partial[3]] == ["pembinaan_20250101.csv"]  # the file before it committed

    rerun = run(crashed, folder)
    assert "already ingested" in rerun.stdout
    assert state(crashed) == clean
