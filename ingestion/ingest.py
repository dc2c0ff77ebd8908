"""Ingest export files into the event store: each file in one transaction, or not at all."""
from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
from tqdm import tqdm

from ingestion import parse, store
from ingestion.contract import ExportFile, Kind, RefusedFile, parse_file_name
from ingestion.readers import digest, first_lines, land

PROGRESS_MIN_BYTES = 2 << 20
log = logging.getLogger(__name__)


@dataclass
class FileResult:
    path: Path
    status: str  # ingested | already_ingested | refused
    reason: str | None = None
    rows_read: int = 0
    rows_added: int = 0
    rows_known: int = 0
    rows_rejected: int = 0
    events_omitted: int = 0
    batch_id: int | None = None


def collect(paths: list[Path]) -> list[Path]:
    """Files given, and files in folders given (recursively), leaving out hidden and lock files."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        found += [p for p in candidates if not p.name.startswith((".", "~$"))]
    return found


def ingest(paths: list[Path], events_db: Path, source: str | None = None, reread: bool = False,
           progress: bool = False) -> list[FileResult]:
    """Ingests files in order of extraction date, then file name (sources.md)."""
    exports: list[ExportFile] = []
    refused: list[tuple[Path, str]] = []
    for path in collect(paths):
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
    return results


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


def _refuse(con, path: Path, export: ExportFile | None, reason: str, sha: str | None = None,
            size: int | None = None, started: datetime | None = None) -> FileResult:
    if sha is None:
        sha, size, _ = digest(path)
    return _register(con, FileResult(path, "refused", reason), export, sha, size, started or _now())


def _ingest_file(con: duckdb.DuckDBPyConnection, export: ExportFile, reread: bool,
                 progress: bool) -> FileResult:
    started = _now()
    log.info("reading %s/%s", export.kind.source, export.path.name)
    sha, size, blank_line = digest(export.path)
    if not reread:
        earlier = con.execute("select file_name from ingest.batches where sha256 = ? and status = 'ingested' "
                              "order by batch_id limit 1", [sha]).fetchone()
        if earlier:
            result = FileResult(export.path, "already_ingested", f"same bytes as {earlier[0]}, ingested before")
            return _register(con, result, export, sha, size, started)
    bar = tqdm(total=3, desc=export.path.name, unit="step", file=sys.stderr, leave=False,
               disable=not progress or size < PROGRESS_MIN_BYTES)
    try:
        try:
            bar.set_postfix_str("reading and checking")
            _check(con, export, blank_line)
        except RefusedFile as e:
            return _refuse(con, export.path, export, str(e), sha, size, started)
        bar.update()
        bar.set_postfix_str("writing")
        con.begin()
        try:
            result = _write(con, export, sha)
            _register(con, result, export, sha, size, started)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        bar.update(2)
        return result
    finally:
        bar.close()
        con.execute("drop view if exists landed")
        con.execute("drop view if exists checked")
        for table in ("checked_rows", "duplicates", "latest"):
            con.execute(f"drop table if exists {table}")
        if "landed_frame" in {r[0] for r in con.execute("show tables").fetchall()}:
            con.unregister("landed_frame")


def _q(name: str) -> str:
    return '"' + name + '"'


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> None:
    """DuckDB wants exactly the named parameters a statement uses."""
    con.execute(sql, {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)})


def _key_sql(kind: Kind) -> str:
    return "concat_ws('|', " + ", ".join(f"cast({k} as varchar)" for k in kind.key) + ")"


def _hash_sql(kind: Kind) -> str:
    parts = [f"coalesce(cast({c.name} as varchar), '\\N')" for c in kind.columns]
    return "md5(concat_ws(chr(31), " + ", ".join(parts + ["coalesce(cast(extra as varchar), '')"]) + "))"


def _problem_columns(kind: Kind) -> list[tuple[str, str]]:
    """(column named in the quarantine, problem column of `checked`)."""
    return ([(c.name, "problem:" + c.name) for c in kind.columns]
            + [(r.column, f"rule:{i}") for i, r in enumerate(kind.rules)])


def _cells_sql(kind: Kind, headers: list[str]) -> str:
    """SQL over `landed`, one row per file row in file order: `_blank`, `_ok`, the parsed values,
    record key, content hash and extra columns as JSON; for a rejected row also its raw text and the
    problem of every cell and row rule (null elsewhere, so they cost next to nothing)."""
    extras = sorted(set(headers) - {c.name for c in kind.columns})
    raw_cols, part_cols, value_cols, problem_cols = [], [], [], []
    for c in kind.columns:
        raw_cols.append(f"{_q(c.name) if c.name in headers else 'cast(null as varchar)'} as {_q(c.name)}")
        part = parse.parts(c)
        if part:
            part_cols.append(f"{part} as {_q('part:' + c.name)}")
        value = parse.parsed(c, _q(c.name), _q("part:" + c.name))
        value_cols.append(f"{_q(c.name)} as {_q('raw:' + c.name)}, {value} as {_q(c.name)}")
        problem_cols.append(f"{parse.problem(c, _q('raw:' + c.name), _q(c.name))} as {_q('problem:' + c.name)}")
    rule_cols = [f"case when coalesce({r.broken}, false) then '{r.reason}' end as {_q(f'rule:{i}')}"
                 for i, r in enumerate(kind.rules)]
    entries = ", ".join(f"{{'k': '{e}', 'v': {_q(e)}}}" for e in extras)
    extra = f"list_filter([{entries}], lambda e: e.v is not null)" if extras else "[]"
    problems = [p for _, p in _problem_columns(kind)]
    no_problem = " and ".join(f"{_q(p)} is null" for p in problems)
    raw_if_rejected = [f"case when not _ok then {_q('raw:' + c.name)} end as {_q('raw:' + c.name)}"
                       for c in kind.columns]
    return f"""
        with cells as (
            select {', '.join(raw_cols + part_cols)}, {extra} as extra_entries,
                coalesce({', '.join(_q(h) for h in headers)}) is null as _blank
            from landed
        ), parsed as materialized (
            select _blank, {', '.join(value_cols)},
                case when len(extra_entries) > 0 then to_json(map_from_entries(extra_entries)) end as extra
            from cells
        ), problems as (
            select t.*, {', '.join(problem_cols + rule_cols)} from parsed t
        ), judged as (
            select *, {no_problem} as _ok from problems
        )
        select _blank, _ok, {', '.join(c.name for c in kind.columns)}, extra,
            {_key_sql(kind)} as record_key, {_hash_sql(kind)} as content_hash,
            {', '.join(raw_if_rejected + [_q(p) for p in problems])}
        from judged
    """


def _check(con: duckdb.DuckDBPyConnection, export: ExportFile, blank_line: bool) -> None:
    """Reads, parses and checks the file in one parallel pass into temp table `checked_rows`, whose
    row order is the file's; view `checked` adds the row number and leaves out blank rows."""
    headers = land(con, export, blank_line)
    missing = [c.name for c in export.kind.columns if c.required and c.name not in headers]
    if missing:
        raise RefusedFile("missing required column " + ", ".join(repr(m) for m in missing))
    create = f"create or replace temp table checked_rows as {_cells_sql(export.kind, headers)}"
    try:
        try:
            con.execute(create)
        except duckdb.InvalidInputException as e:
            if "parallel=false" not in str(e):  # DuckDB pads short rows in parallel unless a quoted field spans lines
                raise
            land(con, export, blank_line, parallel=False)
            con.execute(create)
    except duckdb.InvalidInputException as e:  # a malformed CSV line
        raise RefusedFile(f"cannot be read: {first_lines(e)}") from None
    con.execute("create or replace temp view checked as "
                "select cast(rowid + 2 as integer) as _row, * from checked_rows where not _blank")


def _write(con: duckdb.DuckDBPyConnection, export: ExportFile, sha: str) -> FileResult:
    kind = export.kind
    batch_id = _next_batch_id(con)
    params = dict(batch=batch_id, source=kind.source, kind=kind.name, file=export.path.name, sha=sha,
                  extracted=export.extracted_on, at=_now())
    con.execute("""
        create or replace temp table duplicates as  -- record keys the file gives more than once
        select record_key, count(distinct content_hash) as versions, min(_row) as first_row,
            string_agg(cast(_row as varchar), ', ' order by _row) as rows
        from checked
        where _ok and record_key in (select record_key from checked where _ok
                                     group by record_key having count(*) > 1)
        group by record_key
    """)
    _quarantine(con, kind, params)
    _run(con, f"""
        create or replace temp table latest as  -- the version each key had as of this extraction
        select record_key, arg_max(content_hash, {{'x': extracted_on, 'b': batch_id}}) as content_hash
        from {kind.table}
        where extracted_on <= $extracted and record_key in (select record_key from checked where _ok)
        group by record_key
    """, params)
    added = _insert_events(con, kind, """
        select c.* from checked c left join duplicates d using (record_key)
        where c._ok and (d.record_key is null or (d.versions = 1 and c._row = d.first_row))
          and not exists (select 1 from latest l where l.record_key = c.record_key
                          and l.content_hash = c.content_hash)""", params)
    omitted = _omit_budget_lines(con, kind, params) if kind.name == "anggaran" else 0
    read, rejected = con.execute("""
        select count(*), count(*) filter (where not _ok)
            + (select coalesce(sum(length(string_split(rows, ', '))), 0) from duplicates where versions > 1)
        from checked""").fetchone()
    return FileResult(export.path, "ingested", None, read, added, read - added - rejected, rejected,
                      omitted, batch_id)


def _quarantine(con, kind: Kind, params: dict) -> None:
    """Every broken cell, and every record key the file gives twice with different values."""
    _run(con, "delete from ingest.quarantine where sha256 = $sha", params)
    problems = ", ".join(f"{{'column_name': '{col}', 'raw_value': {_raw_of(kind, col)}, 'reason': {_q(p)}}}"
                         for col, p in _problem_columns(kind))
    head = "select $batch, $source, $kind, $file, $sha, _row"
    _run(con, f"""
        insert into ingest.quarantine
        {head}, c.column_name, c.raw_value, c.reason
        from (select _row, unnest([{problems}]) as c from checked where not _ok)
        where c.reason is not null
    """, params)
    _run(con, f"""
        insert into ingest.quarantine
        {head}, '{', '.join(kind.key)}', record_key,
            'record key given on rows ' || d.rows || ' of this file with different values'
        from checked join duplicates d using (record_key) where _ok and d.versions > 1
    """, params)


def _raw_of(kind: Kind, column: str) -> str:
    return _q("raw:" + column) if any(c.name == column for c in kind.columns) else "null"


def _insert_events(con, kind: Kind, rows_sql: str, params: dict) -> int:
    columns = [c.name for c in kind.columns]
    before = con.execute(f"select count(*) from {kind.table}").fetchone()[0]
    _run(con, f"""
        insert into {kind.table} by name
        select md5(concat_ws('|', $source, $kind, record_key, $sha)) as event_id,
            $source as source, $kind as kind, record_key, {kind.valid_date} as valid_date,
            $extracted as extracted_on, $at as ingested_at, $batch as batch_id, $file as source_file,
            _row as row_number, content_hash, {', '.join(columns)}, extra
        from ({rows_sql}) r
    """, params)
    return con.execute(f"select count(*) from {kind.table}").fetchone()[0] - before


def _omit_budget_lines(con, kind: Kind, params: dict) -> int:
    """A re-delivered budget version is complete: a sub-activity it leaves out gets pagu 0."""
    _run(con, f"""
        create or replace temp table omitted as
        select l.tahun_anggaran, l.tahap, f.tanggal_penetapan, l.kode_sub_kegiatan, l.nama_program,
            l.nama_kegiatan, l.nama_sub_kegiatan, cast(0 as decimal(18,2)) as pagu,
            cast(null as json) as extra, null as _row
        from (select * from {kind.table} where extracted_on <= $extracted
              qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1) l
        join (select tahun_anggaran, tahap, max(tanggal_penetapan) as tanggal_penetapan
              from checked where _ok group by tahun_anggaran, tahap) f using (tahun_anggaran, tahap)
        where l.pagu <> 0 and l.record_key not in (
            select record_key from checked
            where tahun_anggaran is not null and tahap is not null and kode_sub_kegiatan is not null)
    """, params)
    try:
        return _insert_events(con, kind, f"""
            select *, {_key_sql(kind)} as record_key, {_hash_sql(kind)} as content_hash from omitted""", params)
    finally:
        con.execute("drop table if exists omitted")
