"""Land an export file in DuckDB as text: temp view `landed`, one VARCHAR per header.

`landed` has one row per file row from row 2 on (header = row 1), in file order, wholly blank rows
included, so that a row's place gives its number. Cells are trimmed of spaces and blank cells are
NULL. Spreadsheet cells are turned into text that the contract's text rules read unambiguously
(see `cell_text`).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from ingestion.contract import ExportFile, RefusedFile, normalize_header

_BLANK_LINE = re.compile(rb"\n\r?\n")
ROWS_PER_INSERT = 50_000  # rows read in Python go to DuckDB in chunks, which bounds their memory


def digest(path: Path) -> tuple[str, int, bool]:
    """sha256, size, and whether the file has a blank line (which DuckDB's CSV reader skips)."""
    h, size, blank, edge = hashlib.sha256(), 0, False, b""
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
            size += len(chunk)
            blank = blank or bool(_BLANK_LINE.search(edge + chunk[:2]) or _BLANK_LINE.search(chunk))
            edge = chunk[-2:]
    return h.hexdigest(), size, blank


def cell_text(value: object) -> str | None:
    """Spreadsheet cell -> text. A fractional number gets a decimal comma, which the amount rule
    never reads as a thousands separator (150.123 stays 150,123, not 150123)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, datetime):  # pandas' Timestamp too
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def number_text(value: Decimal) -> str:
    """A whole number keeps every digit (a 16-digit NIK); a fraction is read to 15 significant
    digits, as the spreadsheet shows it (=350000*1.1 is stored as 385000.00000000006)."""
    if value != value.to_integral_value():
        value = Decimal(format(value, ".15g"))
    return format(value.normalize(), "f").replace(".", ",")


def land(con: duckdb.DuckDBPyConnection, export: ExportFile, has_blank_line: bool,
         parallel: bool = True) -> list[str]:
    """Creates temp view `landed`; returns the normalized header names in file order."""
    if export.format == "csv" and not has_blank_line:
        return _land_csv(con, export.path, parallel)
    rows = _csv_rows(export.path) if export.format == "csv" else (
        _xlsx_rows(export) if export.format == "xlsx" else _ods_rows(export))
    return _land_rows(con, rows)


def _sniff_delimiter(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f:
        header = f.readline()
    return ";" if header.count(";") > header.count(",") else ","


def _headers(original: list[str]) -> list[str]:
    names = [normalize_header(h) for h in original]
    seen: set[str] = set()
    for n in names:
        if not n:
            raise RefusedFile("the header row has an empty column name")
        if n in seen:
            raise RefusedFile(f"column {n!r} appears twice in the header")
        seen.add(n)
    return names


def _create_landed(con: duckdb.DuckDBPyConnection, relation: str, original: list[str]) -> list[str]:
    """View `landed`: one row per file row from row 2 on, in file order, blank rows included (the
    check keeps that order, so a row's number is its place + 2)."""
    names = _headers(original)
    cols = ", ".join(f"{_trimmed(_q(o))} as {_q(n)}" for o, n in zip(original, names))
    con.execute(f"create or replace temp view landed as select {cols} from {relation}")
    return names


def _trimmed(cell: str) -> str:
    """The cell without leading and trailing spaces, NULL when blank; trim() runs only where there is
    a space to trim, as it copies every string it is given."""
    return f"case when {cell} like ' %' or {cell} like '% ' then nullif(trim({cell}), '') else nullif({cell}, '') end"


def _land_csv(con: duckdb.DuckDBPyConnection, path: Path, parallel: bool) -> list[str]:
    reader = (f"read_csv({_literal(str(path))}, delim='{_sniff_delimiter(path)}', header=true, "
              "all_varchar=true, normalize_names=false, encoding='utf-8', null_padding=true"
              + ("" if parallel else ", parallel=false") + ")")
    try:
        original = [r[0] for r in con.execute(f"describe select * from {reader}").fetchall()]
    except duckdb.Error as e:
        raise RefusedFile(f"cannot be read as CSV: {first_lines(e)}") from None
    return _create_landed(con, reader, original)


def _land_rows(con: duckdb.DuckDBPyConnection, rows: Iterator[tuple[int, list[object]]]) -> list[str]:
    """Lands rows read in Python in temp table `landed_rows`, a wholly blank row for each row a
    reader skipped, passing them to DuckDB as JSON (which needs no pandas or Arrow import)."""
    try:
        _, header = next(rows)
    except StopIteration:
        raise RefusedFile("the file is empty: no header row") from None
    original = [cell_text(h) or "" for h in header]
    while original and not original[-1]:
        original.pop()
    _headers(original)
    width = len(original)
    con.execute(f"create or replace temp table landed_rows ({', '.join(_q(o) + ' varchar' for o in original)})")
    insert = (f"insert into landed_rows select {', '.join(f'r[{i}]' for i in range(1, width + 1))} "
              "from (select unnest(from_json($rows, '[[\"VARCHAR\"]]')) as r)")
    landed, chunk = 0, []
    for number, cells in rows:
        values = [cell_text(v) for v in cells]
        if any(v not in (None, "") for v in values[width:]):
            raise RefusedFile(f"row {number} has values beyond the header's {width} columns")
        skipped = number - 2 - landed
        chunk += [[None] * width] * skipped
        chunk.append((values + [None] * width)[:width])
        landed += skipped + 1
        if len(chunk) >= ROWS_PER_INSERT:
            con.execute(insert, {"rows": json.dumps(chunk)})
            chunk = []
    if chunk:
        con.execute(insert, {"rows": json.dumps(chunk)})
    return _create_landed(con, "landed_rows", original)


def _csv_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(path))
    for number, cells in enumerate(reader, start=1):
        yield number, list(cells)


def _xlsx_rows(export: ExportFile) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(export.path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a broken file
        raise RefusedFile(f"cannot be read as XLSX: {e}") from None
    try:
        sheets = {name.lower(): name for name in book.sheetnames}
        sheet = book[sheets.get(export.kind.name, book.sheetnames[0])]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        book.close()


def _ods_rows(export: ExportFile) -> Iterator[tuple[int, list[object]]]:
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableRow

    try:
        doc = load(str(export.path))
    except Exception as e:  # odfpy raises many types for a broken file
        raise RefusedFile(f"cannot be read as ODS: {e}") from None
    tables = doc.spreadsheet.getElementsByType(Table)
    if not tables:
        raise RefusedFile("the ODS file has no sheet")
    by_name = {str(t.getAttrNS(TABLENS, "name")).lower(): t for t in tables}
    sheet = by_name.get(export.kind.name, tables[0])
    number = 1
    for row in sheet.getElementsByType(TableRow):
        repeat = int(row.getAttrNS(TABLENS, "number-rows-repeated") or 1)
        cells = _ods_cells(row, OFFICENS, TABLENS)
        if any(c is not None for c in cells):
            for _ in range(repeat):
                yield number, cells
                number += 1
        else:
            number += repeat


def _ods_cells(row, officens: str, tablens: str) -> list[object]:
    from odf import teletype

    cells: list[object] = []
    blanks = 0  # trailing blank cells come repeated by the thousand: add them only when a value follows
    for cell in row.childNodes:
        if cell.qname[1] not in ("table-cell", "covered-table-cell"):
            continue
        repeat = int(cell.getAttrNS(tablens, "number-columns-repeated") or 1)
        value = _ods_value(cell, officens, teletype)
        if value is None:
            blanks += repeat
            continue
        cells.extend([None] * blanks + [value] * repeat)
        blanks = 0
    return cells


def _ods_value(cell, officens: str, teletype) -> object:
    kind = cell.getAttrNS(officens, "value-type")
    if kind in ("float", "percentage", "currency"):
        return Decimal(str(cell.getAttrNS(officens, "value")))  # exact: a 16-digit NIK keeps every digit
    if kind == "date":
        return date.fromisoformat(str(cell.getAttrNS(officens, "date-value"))[:10])
    if kind == "boolean":
        return cell.getAttrNS(officens, "boolean-value") == "true"
    text = teletype.extractText(cell)
    return text if text != "" else None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def first_lines(error: Exception, n: int = 2) -> str:
    return " ".join(str(error).strip().splitlines()[:n])
