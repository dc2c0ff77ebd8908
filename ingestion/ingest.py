"""Ingest export files into the event store: each file in one transaction, or not at all.

A file is read, parsed and checked in one parallel pass into temp table `checked`, which keeps the
file's row order, so that a row's place gives its number (header = row 1). Its new events are then
inserted in one statement: DuckDB writes them to the database file once, compressed, which a later
update or delete in the same transaction would make it do twice.
"""
from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingestion import parse, store
from ingestion.contract import ExportFile, Kind, RefusedFile, parse_file_name
from ingestion.readers import csv_refusal, digest, land, land_again
from kumkm.masking import scrubbed, unexpected

PROGRESS_MIN_BYTES = 2 << 20
log = logging.getLogger(__name__)


@dataclass
class FileResult:
    path: Path
    status: str  # ingested | already_ingested | refused | skipped (not read; not in the registry)
    reason: str | None = None
    rows_read: int = 0
    rows_added: int = 0
    rows_known: int = 0
    rows_rejected: int = 0
    events_omitted: int = 0
    batch_id: int | None = None


def collect(paths: list[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files given, and files in folders given (recursively); and the entries of those folders left
    out, each with why. A link in a folder is followed only to a file inside that folder."""
    found: list[Path] = []
    skipped: list[FileResult] = []
    for path in paths:
        if not path.is_dir():
            if path.is_file():
                found.append(path)
            else:
                skipped.append(FileResult(path, "skipped", "not a regular file"))
            continue
        for entry in _entries(path):
            if why := _left_out(entry, path.resolve()):
                skipped.append(FileResult(entry, "skipped", why))
            else:
                found.append(entry)
    return found, skipped


def _entries(folder: Path) -> list[Path]:
    """Everything in the folder and its subfolders, links to folders included but not followed."""
    entries = []
    for parent, folders, files in os.walk(folder):
        entries += [Path(parent) / name for name in files]
        entries += [Path(parent) / name for name in folders if (Path(parent) / name).is_symlink()]
    return sorted(entries)


def _left_out(entry: Path, root: Path) -> str | None:
    """Why an entry of a folder is not read: hidden and lock files, what is not a regular file,
    links that lead nowhere, to a folder or out of the folder given."""
    if entry.name.startswith((".", "~$")):
        return "a hidden or lock file"
    if entry.is_symlink():
        target = entry.resolve()
        if not target.exists():
            return "a link to nothing"
        if not target.is_relative_to(root):
            return "a link to outside the folder ingested"
        if target.is_dir():
            return "a link to a folder"
    return None if entry.is_file() else "not a regular file"


def ingest(paths: list[Path], events_db: Path, source: str | None = None, reread: bool = False,
           progress: bool = False) -> list[FileResult]:
    """Ingests files in order of extraction date, then file name (sources.md). Every file is
    ingested whole or refused whole with a one-line reason; an entry of a folder that is not read
    comes back as skipped, with why."""
    exports: list[ExportFile] = []
    refused: list[tuple[Path, str]] = []
    files, skipped = collect(paths)
    for path in files:
        try:
            exports.append(parse_file_name(path, source))
        except RefusedFile as e:
            refused.append((path, str(e)))
    exports.sort(key=lambda e: (e.extracted_on, e.path.name))
    con = store.connect(events_db)
    try:
        con.execute(parse.MACROS)
        results = [_refuse(con, path, None, reason) for path, reason in refused]
        results += [_ingest_file(con, export, reread, progress) for export in exports]
    finally:
        con.close()
    return skipped + results


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _next_batch_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select coalesce(max(batch_id), 0) + 1 from ingest.batches").fetchone()[0]


def _register(con: duckdb.DuckDBPyConnection, result: FileResult, export: ExportFile | None,
              sha: str, size: int, started: datetime) -> FileResult:
    finished = _now()
    result.batch_id = result.batch_id or _next_batch_id(con)
    con.execute(
        "insert into ingest.batches values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [result.batch_id, export and export.kind.source, export and export.kind.name,
         result.path.name, str(result.path.resolve()), sha, size, export and export.extracted_on,
         result.status, result.reason, result.rows_read, result.rows_added, result.rows_known,
         result.rows_rejected, result.events_omitted, started, finished,
         (finished - started).total_seconds()])
    return result


def _refuse(con, path: Path, export: ExportFile | None, reason: str, started: datetime | None = None) -> FileResult:
    """Registers the file as refused; the reason as it may be printed, stored and logged."""
    try:
        sha, size, _ = digest(path)
    except OSError:  # gone or unreadable: the reason says so
        sha, size = "", 0
    return _register(con, FileResult(path, "refused", scrubbed(reason)), export, sha, size, started or _now())


def _ingest_file(con: duckdb.DuckDBPyConnection, export: ExportFile, reread: bool,
                 progress: bool) -> FileResult:
    """The file ingested whole, or refused whole: whatever fails while it is read, checked or
    written refuses it (its transaction rolled back), and the run goes on with the next file."""
    started = _now()
    try:
        return _read_file(con, export, reread, progress, started)
    except RefusedFile as e:
        reason = str(e)
    except OSError as e:
        reason = f"cannot be read: {e.strerror or type(e).__name__}"
    except Exception as e:  # a failure no rule foresaw
        reason = f"cannot be read: {unexpected(e)}"
    return _refuse(con, export.path, export, reason, started)


def _read_file(con: duckdb.DuckDBPyConnection, export: ExportFile, reread: bool, progress: bool,
               started: datetime) -> FileResult:
    log.info("reading %s/%s", export.kind.source, export.path.name)
    size = export.path.stat().st_size
    with ThreadPoolExecutor(1) as pool:
        digesting = pool.submit(digest, export.path)  # beside DuckDB's reading, which frees the GIL
        if retracted := _retracted_bytes(con, size, digesting):
            raise RefusedFile(retracted)
        if not reread and (earlier := _same_bytes(con, size, digesting)):
            result = FileResult(export.path, "already_ingested", f"same bytes as {earlier}, ingested before")
            return _register(con, result, export, digesting.result()[0], size, started)
        try:
            with _steps(export.path.name, progress and size >= PROGRESS_MIN_BYTES) as step:
                step("reading and checking")
                sha = _check_digested(con, export, digesting)
                step("writing")
                return _store(con, export, sha, size, started)
        finally:
            con.execute("drop view if exists landed")
            for table in ("landed_rows", "checked", "looked_up", "duplicates", "latest", "omitted"):
                con.execute(f"drop table if exists {table}")


def _same_bytes(con: duckdb.DuckDBPyConnection, size: int, digesting: Future) -> str | None:
    """The name of an ingested file with the same bytes. Sizes are compared first: the digest is
    waited for only when an ingested file has the same size."""
    if not con.execute("select count(*) > 0 from ingest.batches where size_bytes = ? and status = 'ingested'",
                       [size]).fetchone()[0]:
        return None
    earlier = con.execute("select file_name from ingest.batches where sha256 = ? and status = 'ingested' "
                          "order by batch_id limit 1", [digesting.result()[0]]).fetchone()
    return earlier and earlier[0]


def _retracted_bytes(con: duckdb.DuckDBPyConnection, size: int, digesting: Future) -> str | None:
    """Why a file with the bytes of a retracted batch is refused: its events would be the retracted
    ones again (an event's id comes from the file's sha256), and a corrected file has other bytes."""
    retracted = "from ingest.batches_with_retractions where retracted_at is not null and"
    if not con.execute(f"select count(*) > 0 {retracted} size_bytes = ?", [size]).fetchone()[0]:
        return None
    found = con.execute(f"select batch_id, retraction_reason {retracted} sha256 = ? order by batch_id limit 1",
                        [digesting.result()[0]]).fetchone()
    return found and f"same bytes as batch {found[0]}, retracted ({found[1]}): deliver a corrected file"


def _check_digested(con: duckdb.DuckDBPyConnection, export: ExportFile, digesting: Future) -> str:
    """Checks the file while it is digested; returns its sha256. A blank line that the digest finds
    only after DuckDB's CSV reader has skipped it makes the file be read again, row by row."""
    blank_line_known = digesting.done() and digesting.result()[2]
    _check(con, export, blank_line_known)
    sha, _, blank_line = digesting.result()
    if export.format == "csv" and blank_line and not blank_line_known:
        _check(con, export, blank_line)
    return sha


def _store(con: duckdb.DuckDBPyConnection, export: ExportFile, sha: str, size: int,
           started: datetime) -> FileResult:
    """The file's events, quarantine and registry row, in one transaction."""
    con.begin()
    try:
        result = _write(con, export, sha)
        _register(con, result, export, sha, size, started)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return result


@contextmanager
def _steps(name: str, shown: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar over the steps of one file's ingest, when shown (tqdm is imported only then)."""
    if not shown:
        yield lambda _: None
        return
    from tqdm import tqdm

    with tqdm(total=2, desc=name, unit="step", file=sys.stderr, leave=False) as bar:
        def step(label: str) -> None:
            if bar.postfix:
                bar.update()
            bar.set_postfix_str(label)

        yield step


def _q(name: str) -> str:
    return '"' + name + '"'


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> duckdb.DuckDBPyConnection:
    """DuckDB wants exactly the named parameters a statement uses."""
    return con.execute(sql, {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)})


def _key_sql(kind: Kind) -> str:
    return "concat_ws('|', " + ", ".join(f"cast({k} as varchar)" for k in kind.key) + ")"


def _hash_sql(kind: Kind) -> str:
    parts = [f"coalesce(cast({c.name} as varchar), '\\N')" for c in kind.columns]
    return "md5(concat_ws(chr(31), " + ", ".join(parts + ["coalesce(cast(extra as varchar), '')"]) + "))"


def _check_sql(kind: Kind, headers: list[str]) -> str:
    """SQL over `landed`, one row per file row in file order: `_blank`, `_ok`, the parsed values,
    and for a row that keeps the contract its record key and extra columns as JSON, for a rejected
    row its problems (a list of column name, raw value and reason); NULL elsewhere, so that a
    problem's text is made for rejected rows only. Rules that look up other tables are left to
    `_check_lookups`, which gets the raw text of their columns. No joins: they may reorder rows."""
    extras = sorted(set(headers) - {c.name for c in kind.columns})
    cells, values, valid, problems = [], [], [], []
    for c in kind.columns:
        cells.append(f"{_q(c.name) if c.name in headers else 'cast(null as varchar)'} as {_q(c.name)}")
        if part := parse.parts(c):
            cells.append(f"{part} as {_q('part:' + c.name)}")
        values.append(f"{_q(c.name)} as {_q('raw:' + c.name)}, "
                      f"{parse.parsed(c, _q(c.name), _q('part:' + c.name))} as {_q(c.name)}")
        if check := parse.valid(c, _q("raw:" + c.name), _q(c.name)):
            valid.append(f"({check})")
        problems.append((c.name, _raw_of(kind, c.name), parse.problem(c, _q("raw:" + c.name), _q(c.name))))
    rules = [(f"rule:{i}", r) for i, r in enumerate(kind.rules) if not r.looks_up]
    for name, r in rules:
        problems.append((r.column, _raw_of(kind, r.column), f"case when {_q(name)} then '{r.reason}' end"))
    if extras:
        entries = ", ".join(f"{{'k': '{e}', 'v': {_q(e)}}}" for e in extras)
        cells.append(f"list_filter([{entries}], lambda e: e.v is not null) as extra_entries")
        extra = "case when len(extra_entries) > 0 then to_json(map_from_entries(extra_entries)) end"
    else:
        extra = "cast(null as json)"
    ok = " and ".join(["not _blank"] + valid + [f"not {_q(name)}" for name, _ in rules])
    problem_list = ", ".join(f"{{'column_name': '{col}', 'raw_value': {raw}, 'reason': {reason}}}"
                             for col, raw, reason in problems)
    looked_up = sorted({_raw_of(kind, r.column) for r in kind.rules if r.looks_up} - {"null"})
    return f"""
        with cells as (
            select {', '.join(cells)}, coalesce({', '.join(_q(h) for h in headers)}) is null as _blank
            from landed
        ), parsed as (
            select _blank, {', '.join(values)}, {extra} as extra from cells
        ), checked as (
            select *{''.join(f', coalesce({r.broken}, false) as {_q(name)}' for name, r in rules)} from parsed t
        ), judged as (
            select *, {ok} as _ok from checked
        )
        select _blank, _ok, {', '.join(c.name for c in kind.columns)},
            case when _ok then {_key_sql(kind)} end as record_key, case when _ok then extra end as extra,
            case when not _ok and not _blank then list_filter([{problem_list}], lambda p: p.reason is not null)
            end as problems{''.join(', ' + raw for raw in looked_up)}
        from judged t
    """


def _raw_of(kind: Kind, column: str) -> str:
    return _q("raw:" + column) if any(c.name == column for c in kind.columns) else "null"


def _check(con: duckdb.DuckDBPyConnection, export: ExportFile, blank_line: bool) -> None:
    """Reads, parses and checks the file in one parallel pass into temp table `checked`, whose row
    order is the file's, as DuckDB keeps it through a query without joins: a row's number is its
    rowid + 2."""
    headers = land(con, export, blank_line)
    missing = [c.name for c in export.kind.columns if c.required and c.name not in headers]
    if missing:
        raise RefusedFile("missing required column " + ", ".join(repr(m) for m in missing))
    create = f"create or replace temp table checked as {_check_sql(export.kind, headers)}"
    try:
        con.execute(create)
    except duckdb.Error as e:  # DuckDB's CSV reader, which reads the file as `checked` is made
        land_again(con, export, e)
        try:
            con.execute(create)
        except duckdb.InvalidInputException as again:
            raise csv_refusal(again, export.path) from None
    if any(r.looks_up for r in export.kind.rules):
        _check_lookups(con, export.kind)


def _check_lookups(con: duckdb.DuckDBPyConnection, kind: Kind) -> None:
    """The rules that look up other tables, on the checked rows by rowid: temp table `looked_up`
    holds the problems of the rows that break them, which are then no longer ok."""
    con.execute("create or replace temp table looked_up as " + " union all ".join(
        f"select rowid as row_id, {{'column_name': '{r.column}', 'raw_value': {_raw_of(kind, r.column)}, "
        f"'reason': '{r.reason}'}} as problem from checked t where not _blank and coalesce({r.broken}, false)"
        for r in kind.rules if r.looks_up))
    con.execute("update checked set _ok = false where rowid in (select row_id from looked_up)")


def _write(con: duckdb.DuckDBPyConnection, export: ExportFile, sha: str) -> FileResult:
    kind = export.kind
    batch_id = _next_batch_id(con)
    params = dict(batch=batch_id, source=kind.source, kind=kind.name, file=export.path.name, sha=sha,
                  extracted=export.extracted_on, at=_now())
    repeated = _duplicates(con, kind)
    _quarantine(con, kind, params, repeated)
    known = _latest(con, kind, params)
    added = _insert_events(con, kind, _new_rows_sql(kind, repeated, known), params)
    omitted = _omit_budget_lines(con, kind, params) if kind.name == "anggaran" else 0
    read, rejected = con.execute("""
        select count(*) filter (where not _blank), count(*) filter (where not _blank and not _ok)
            + (select coalesce(sum(rows_given), 0) from duplicates where versions > 1)
        from checked""").fetchone()
    return FileResult(export.path, "ingested", None, read, added, read - added - rejected, rejected,
                      omitted, batch_id)


def _new_rows_sql(kind: Kind, repeated: bool, known: bool) -> str:
    """The checked rows that are new events, with their content hash: rows that keep the contract,
    but of a record key the file repeats only the first and only when unchanged, and none equal to
    the latest version of its record (the joins only when there are repeated keys and earlier
    versions)."""
    joins, conditions = [], []
    if repeated:
        joins.append("left join duplicates d using (record_key)")
        conditions.append("(d.record_key is null or (d.versions = 1 and c._row = d.first_row))")
    if known:
        conditions.append("not exists (select 1 from latest l where l.record_key = c.record_key "
                          "and l.content_hash = c.content_hash)")
    where = f" where {' and '.join(conditions)}" if conditions else ""
    return (f"select c.* from (select cast(rowid + 2 as integer) as _row, *, {_hash_sql(kind)} as content_hash "
            f"from checked where _ok) c {' '.join(joins)}{where}")


def _duplicates(con: duckdb.DuckDBPyConnection, kind: Kind) -> bool:
    """Temp table `duplicates`: the record keys the file gives more than once (candidates found by
    a hash of the key, which groups faster than the key). Returns whether there is any."""
    con.execute(f"""
        create or replace temp table duplicates as
        select record_key, count(distinct {_hash_sql(kind)}) as versions, min(rowid) + 2 as first_row,
            string_agg(cast(rowid + 2 as varchar), ', ' order by rowid) as rows, count(*) as rows_given
        from checked
        where _ok and hash(record_key) in (
            select hash(record_key) from checked where _ok group by all having count(*) > 1)
        group by record_key having count(*) > 1
    """)
    return con.execute("select count(*) > 0 from duplicates").fetchone()[0]


def _quarantine(con: duckdb.DuckDBPyConnection, kind: Kind, params: dict, repeated: bool) -> None:
    """Every broken cell, and every record key the file gives twice with different values."""
    _run(con, "delete from ingest.quarantine where sha256 = $sha", params)
    head = "select $batch, $source, $kind, $file, $sha"
    _run(con, f"""
        insert into ingest.quarantine
        {head}, row_number, p.column_name, p.raw_value, p.reason
        from (select cast(rowid + 2 as integer) as row_number, unnest(problems) as p from checked
              where problems is not null)
    """, params)
    if any(r.looks_up for r in kind.rules):
        _run(con, f"""
            insert into ingest.quarantine
            {head}, cast(row_id + 2 as integer), problem.column_name, problem.raw_value, problem.reason
            from looked_up
        """, params)
    if repeated:
        _run(con, f"""
            insert into ingest.quarantine
            {head}, cast(c.rowid + 2 as integer), '{', '.join(kind.key)}', record_key,
                'record key given on rows ' || d.rows || ' of this file with different values'
            from checked c join duplicates d using (record_key) where c._ok and d.versions > 1
        """, params)


def _latest(con: duckdb.DuckDBPyConnection, kind: Kind, params: dict) -> bool:
    """Temp table `latest`: the version each of the file's records had as of its extraction date
    (retracted batches left out), when the table has an event that old. Returns whether it does."""
    if not _run(con, f"select exists (select 1 from {kind.table} where extracted_on <= $extracted)",
                params).fetchone()[0]:
        return False
    _run(con, f"""
        create or replace temp table latest as
        select record_key, arg_max(content_hash, {{'x': extracted_on, 'b': batch_id}}) as content_hash
        from {kind.table}
        where extracted_on <= $extracted and record_key in (select record_key from checked where _ok)
            and {store.NOT_RETRACTED}
        group by record_key
    """, params)
    return True


def _insert_events(con, kind: Kind, rows_sql: str, params: dict) -> int:
    columns = [c.name for c in kind.columns]
    return _run(con, f"""
        insert into {kind.table} by name
        select md5(concat_ws('|', $source, $kind, record_key, $sha)) as event_id,
            $source as source, $kind as kind, record_key, {kind.valid_date} as valid_date,
            $extracted as extracted_on, $at as ingested_at, $batch as batch_id, $file as source_file,
            _row as row_number, content_hash, {', '.join(columns)}, extra
        from ({rows_sql}) r
    """, params).fetchone()[0]


def _omit_budget_lines(con, kind: Kind, params: dict) -> int:
    """A re-delivered budget version is complete: a sub-activity it leaves out (of the versions not
    retracted) gets pagu 0."""
    _run(con, f"""
        create or replace temp table omitted as
        select l.tahun_anggaran, l.tahap, f.tanggal_penetapan, l.kode_sub_kegiatan, l.nama_program,
            l.nama_kegiatan, l.nama_sub_kegiatan, cast(0 as decimal(18,2)) as pagu,
            cast(null as json) as extra, null as _row
        from (select * from {kind.table} where extracted_on <= $extracted and {store.NOT_RETRACTED}
              qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1) l
        join (select tahun_anggaran, tahap, max(tanggal_penetapan) as tanggal_penetapan
              from checked where _ok group by tahun_anggaran, tahap) f using (tahun_anggaran, tahap)
        where l.pagu <> 0 and l.record_key not in (
            select {_key_sql(kind)} from checked
            where tahun_anggaran is not null and tahap is not null and kode_sub_kegiatan is not null)
    """, params)
    return _insert_events(con, kind, f"select *, {_key_sql(kind)} as record_key, {_hash_sql(kind)} as content_hash "
                                     "from omitted", params)
