"""Random bytes, random cells and random cuts of the bundled sample exports through every reader (CSV
read in parallel and row by row, XLSX, ODS): no exception escapes ingest, a file is ingested whole
(read = added + known + rejected) or refused whole (nothing of it stored) with one short line that
quotes no NIK or phone number. Bounded to run in CI in well under a minute; KUMKM_FUZZ_EXAMPLES=500
explores more."""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import query, write_sheet
from ingestion.contract import KINDS
from ingestion.ingest import ingest
from kumkm.sample_data import write_sample_exports

SAMPLES = {"csv": "ods/rat_20241231.csv", "xlsx": "ledger/anggaran_20250926_perubahan.xlsx",
           "ods": "ods/kegiatan_20250630.ods"}
SHEET_XML = {"xlsx": "xl/worksheets/sheet1.xml", "ods": "content.xml"}
PERSONAL = re.compile(r"\d{16}|08\d{8,11}")
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FUZZ = settings(max_examples=int(os.environ.get("KUMKM_FUZZ_EXAMPLES", 25)), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("samples")
    write_sample_exports(root)
    return {ext: (root / path).read_bytes() for ext, path in SAMPLES.items()}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """One event store for every example, which makes many of them re-deliveries of known records."""
    return tmp_path_factory.mktemp("fuzz") / "events.duckdb"


def ingested_whole_or_refused_whole(store: Path, path: Path) -> None:
    events_before = total_events(store)
    (result,) = ingest([path], store, reread=True)
    assert result.status in ("ingested", "refused"), result
    if result.status == "refused":
        assert result.reason and "\n" not in result.reason and len(result.reason) <= 300, result.reason
        assert not PERSONAL.search(result.reason), result.reason
        assert total_events(store) == events_before
    else:
        assert result.rows_read == result.rows_added + result.rows_known + result.rows_rejected, result
    path.unlink()


def total_events(store: Path) -> int:
    if not store.exists():
        return 0
    tables = " union all ".join(f"select count(*) as n from {kind.table}" for kind in KINDS.values())
    return query(store, f"select sum(n) from ({tables})")[0][0]


def landed(folder: Path, kind: str, ext: str) -> Path:
    path = folder / KINDS[kind].source / f"{kind}_20250101.{ext}"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@FUZZ
@given(data=st.binary(max_size=4_000), ext=st.sampled_from(["csv", "xlsx", "ods"]),
       kind=st.sampled_from(sorted(KINDS)))
def test_random_bytes(store, data, ext, kind):
    with tempfile.TemporaryDirectory() as folder:
        path = landed(Path(folder), kind, ext)
        path.write_bytes(data)
        ingested_whole_or_refused_whole(store, path)


CELLS = st.one_of(st.none(), st.text(max_size=30), st.integers(-10**20, 10**20),
                  st.floats(allow_nan=False, allow_infinity=False), st.dates(),
                  st.sampled_from(["2025", "Jatiasih", "Aktif", "3275014101900001", "1.205.908.800", "31/12/2025"]))


@FUZZ
@given(kind=st.sampled_from(sorted(KINDS)), ext=st.sampled_from(["csv", "csv-blank-line", "xlsx", "ods"]),
       extra=st.lists(st.text(min_size=1, max_size=10), max_size=2),
       rows=st.lists(st.lists(CELLS, max_size=12), max_size=8))
def test_random_cells(store, kind, ext, extra, rows):
    header = [c.name for c in KINDS[kind].columns][:10] + extra
    width = max([len(header), *map(len, rows)])
    with tempfile.TemporaryDirectory() as folder:
        path = landed(Path(folder), kind, ext.split("-")[0])
        if ext.startswith("csv"):
            out = io.StringIO()
            csv.writer(out, delimiter=";").writerows([header, *rows, *([[]] if ext == "csv-blank-line" else [])])
            path.write_text(out.getvalue(), encoding="utf-8")
        else:  # a spreadsheet holds no control character but tab and newline
            cells = [[None if v is None else v if not isinstance(v, str) else NOT_IN_XML.sub("", v) for v in r]
                     for r in rows]
            write_sheet(path, [NOT_IN_XML.sub("", h) for h in header] + [f"_{i}" for i in range(width - len(header))],
                        [r + [None] * (width - len(r)) for r in cells], kind)
        ingested_whole_or_refused_whole(store, path)


def cut_member(data: bytes, member: str, at: float) -> bytes:
    """The zip with one member cut at a fraction of its length, every other member as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, content[:int(len(content) * at)] if info.filename == member else content)
    return out.getvalue()


@FUZZ
@given(ext=st.sampled_from(list(SAMPLES)), how=st.sampled_from(["file", "sheet xml", "flip"]),
       at=st.floats(0, 1, exclude_max=True), byte=st.integers(0, 255))
def test_random_cuts_of_real_exports(store, samples, ext, how, at, byte):
    data = samples[ext]
    if how == "file" or (how == "sheet xml" and ext == "csv"):
        damaged = data[:int(len(data) * at)]
    elif how == "sheet xml":
        damaged = cut_member(data, SHEET_XML[ext], at)
    else:
        i = int(len(data) * at)
        damaged = data[:i] + bytes([byte]) + data[i + 1:]
    kind = Path(SAMPLES[ext]).name.split("_")[0]
    with tempfile.TemporaryDirectory() as folder:
        path = landed(Path(folder), kind, ext)
        path.write_bytes(damaged)
        ingested_whole_or_refused_whole(store, path)
