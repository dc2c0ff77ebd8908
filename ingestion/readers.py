"""Land an export file in DuckDB as text: temp view `landed`, one VARCHAR per header.

`landed` has one row per file row from row 2 on (header = row 1), in file order, wholly blank rows
included, so that a row's place gives its number. Cells are trimmed of spaces and blank cells are
NULL. Spreadsheet cells are turned into text that the contract's text rules read unambiguously
(see `cell_text`).
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

import duckdb

from ingestion.contract import ExportFile, RefusedFile, normalize_header

_BLANK_LINE = re.compile(rb"\n\r?\n")
ROWS_PER_INSERT = 50_000  # rows read in Python go to DuckDB in chunks, which bounds their memory
MAX_LINE_BYTES = 2_000_000  # DuckDB's CSV reader's max_line_size; the row-by-row reader takes the same
csv.field_size_limit(MAX_LINE_BYTES)


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


def land(con: duckdb.DuckDBPyConnection, export: ExportFile, row_by_row: bool) -> list[str]:
    """Creates temp view `landed`; returns the normalized header names in file order. A CSV file is
    read by DuckDB's parallel reader, or row by row in Python when it has a blank line (which
    DuckDB's reader skips) or rows wider than its header."""
    if export.format == "csv":
        delimiter, header = _csv_header(export.path)
        if not row_by_row:
            try:
                return _land_csv(con, export.path, delimiter, header, parallel=True)
            except _ReadRowByRow:
                pass
        return _land_rows(con, _csv_rows(export.path, delimiter))
    return _land_rows(con, _xlsx_rows(export) if export.format == "xlsx" else _ods_rows(export))


def land_again(con: duckdb.DuckDBPyConnection, export: ExportFile, error: duckdb.Error) -> None:
    """After DuckDB's CSV reader failed on the landed file: lands it again the way that reads it
    (one thread when a quoted field spans lines, row by row when a row is wider than the header,
    the first rows DuckDB samples being narrower), or raises RefusedFile naming what is wrong."""
    if not isinstance(error, duckdb.InvalidInputException) or export.format != "csv":
        raise error
    delimiter, header = _csv_header(export.path)
    if "parallel=false" in str(error):  # DuckDB pads short rows in parallel unless a quoted field spans lines
        _land_csv(con, export.path, delimiter, header, parallel=False)
    elif "Expected Number of Columns" in str(error):
        _land_rows(con, _csv_rows(export.path, delimiter))
    else:
        raise csv_refusal(error, export.path)


class _ReadRowByRow(Exception):
    """DuckDB's reader cannot land the file as the contract reads it: the Python reader will."""


def _csv_header(path: Path) -> tuple[str, list[str]]:
    """The delimiter (the one of ; and , that row 1 has more of) and the cells of row 1."""
    with path.open("rb") as f:
        first = f.readline(MAX_LINE_BYTES + 2)
        blank_file = not first.strip() and not f.read(1 << 16).strip()
    if len(first.rstrip(b"\r\n")) > MAX_LINE_BYTES:
        raise _too_long(1)
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    if not line.strip():
        raise RefusedFile(EMPTY if blank_file else "row 1 is blank: the header must be on row 1")
    delimiter = ";" if line.count(";") > line.count(",") else ","
    try:
        return delimiter, next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        raise RefusedFile("the header row cannot be read as CSV") from None


EMPTY = "the file is empty: no header row"


def _headers(original: list[str]) -> list[str]:
    """The header's names, normalized; the same rule for every format: a name may not be empty or
    come twice."""
    names = [normalize_header(h) for h in original]
    seen: set[str] = set()
    for n in names:
        if not n:
            raise RefusedFile("the header row has an empty column name")
        if n in seen:
            raise RefusedFile(f"column {n!r} appears twice in the header")
        seen.add(n)
    return names


def _width(header: list[object]) -> list[str]:
    """The header's cells as text, without the empty ones it ends with."""
    original = [cell_text(h) or "" for h in header]
    while original and not original[-1]:
        original.pop()
    return original


def _create_landed(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str], names: list[str]) -> list[str]:
    """View `landed`: one row per file row from row 2 on, in file order, blank rows included (the
    check keeps that order, so a row's number is its place + 2), the relation's columns named."""
    cols = ", ".join(f"{_trimmed(_q(c))} as {_q(n)}" for c, n in zip(columns, names))
    con.execute(f"create or replace temp view landed as select {cols} from {relation}")
    return names


def _trimmed(cell: str) -> str:
    """The cell without leading and trailing spaces, NULL when blank; trim() runs only where there is
    a space to trim, as it copies every string it is given."""
    return f"case when {cell} like ' %' or {cell} like '% ' then nullif(trim({cell}), '') else nullif({cell}, '') end"


def _land_csv(con: duckdb.DuckDBPyConnection, path: Path, delimiter: str, header: list[str],
              parallel: bool) -> list[str]:
    """Lands the file through DuckDB's reader. Columns DuckDB finds beyond the header's (a row
    sampled wider, a delimiter ending every row) must be empty: if not, the file is read row by row,
    which names the row."""
    names = _headers(_width(header))
    reader = (f"read_csv({sql_literal(str(path))}, delim='{delimiter}', header=true, all_varchar=true, "
              "normalize_names=false, encoding='utf-8', null_padding=true" + ("" if parallel else ", parallel=false") + ")")
    try:
        columns = [r[0] for r in con.execute(f"describe select * from {reader}").fetchall()]
    except duckdb.Error as e:
        raise csv_refusal(e, path) from None
    beyond = columns[len(names):]
    if len(columns) < len(names) or (beyond and con.execute(
            f"select count(*) from {reader} where coalesce({', '.join(map(_q, beyond))}) is not null").fetchone()[0]):
        raise _ReadRowByRow
    return _create_landed(con, reader, columns, names)


def csv_refusal(error: duckdb.Error, path: Path) -> RefusedFile:
    """What DuckDB's CSV reader found wrong, in words of our own: its message quotes the line."""
    text = str(error)
    if "Invalid unicode" in text:
        return _not_utf8(path)
    if "Maximum line size" in text:
        return _too_long(_long_line(path))
    if "Error when sniffing" in text:
        return RefusedFile("cannot be read as CSV: its lines do not split into columns alike")
    line = re.search(r"CSV Error on Line: (\d+)", text)
    return RefusedFile("cannot be read as CSV" + (f" (line {line[1]})" if line else ""))


def _not_utf8(path: Path) -> RefusedFile:
    """Names the first line holding a byte that is not UTF-8."""
    decoder, line = codecs.getincrementaldecoder("utf-8")(), 1
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as e:
                line += chunk[:max(e.start, 0)].count(b"\n")
                break
            line += chunk.count(b"\n")
    return RefusedFile(f"not UTF-8 text: line {line} holds a byte that is not UTF-8 (save the export as CSV UTF-8)")


def _long_line(path: Path) -> int | None:
    """The first line longer than DuckDB's reader takes (the row-by-row reader takes the same)."""
    with path.open("rb") as f:
        line = 0
        while chunk := f.readline(MAX_LINE_BYTES + 2):
            line += 1
            if len(chunk.rstrip(b"\r\n")) > MAX_LINE_BYTES:
                return line
    return None


def _too_long(line: int | None) -> RefusedFile:
    return RefusedFile(f"{f'line {line}' if line else 'a line'} is longer than {MAX_LINE_BYTES:,} bytes")


def _land_rows(con: duckdb.DuckDBPyConnection, rows: Iterator[tuple[int, list[object]]]) -> list[str]:
    """Lands rows read in Python in temp table `landed_rows`, a wholly blank row for each row a
    reader skipped, passing them to DuckDB as JSON (which needs no pandas or Arrow import)."""
    number, header = next(rows, (None, []))
    original = _width(header)
    if not original:
        if number is None or not any(any(cell_text(v) for v in cells) for _, cells in rows):
            raise RefusedFile(EMPTY)
        raise RefusedFile("row 1 is blank: the header must be on row 1")
    if number != 1:
        raise RefusedFile("row 1 is blank: the header must be on row 1")
    names = _headers(original)
    width = len(original)
    columns = [f"c{i}" for i in range(width)]
    con.execute(f"create or replace temp table landed_rows ({', '.join(c + ' varchar' for c in columns)})")
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
    return _create_landed(con, "landed_rows", columns, names)


def _csv_rows(path: Path, delimiter: str) -> Iterator[tuple[int, list[object]]]:
    if line := _long_line(path):
        raise _too_long(line)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except csv.Error as e:
        raise RefusedFile(f"cannot be read as CSV: line {reader.line_num}: {e}") from None


@contextmanager
def _quiet() -> Iterator[None]:
    """Nothing a spreadsheet library prints or warns reaches the terminal: odfpy prints a part it
    cannot parse whole, personal data included."""
    with warnings.catch_warnings(), redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def _broken_xml(member: str, error: Exception) -> RefusedFile:
    """A spreadsheet's XML part that does not parse: cut short (a download that stopped) or broken
    (an unescaped &), named with the place it stops at."""
    if isinstance(error, expat.ExpatError):
        line, column = error.lineno, error.offset
    else:  # ElementTree's ParseError
        line, column = error.position
    what = expat.ErrorString(error.code)
    return RefusedFile(f"cut or broken spreadsheet: {member} is not well-formed XML (line {line}, column {column}: {what})")


_NOT_A_ZIP = (zipfile.BadZipFile, zlib.error, EOFError)


def _xlsx_rows(export: ExportFile) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        with _quiet():
            book = load_workbook(export.path, read_only=True, data_only=True)
    except _NOT_A_ZIP:
        raise RefusedFile("not a spreadsheet: the XLSX file is not a whole zip archive") from None
    except Exception as e:  # openpyxl raises many types for a broken file
        raise RefusedFile(f"cannot be read as XLSX: {e}") from None
    sheets = {name.lower(): name for name in book.sheetnames}
    sheet = book[sheets.get(export.kind.name, book.sheetnames[0])]
    try:  # openpyxl parses the sheet's XML as the rows are read
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except (ParseError, expat.ExpatError) as e:
        raise _broken_xml(sheet._worksheet_path, e) from None
    except _NOT_A_ZIP:
        raise RefusedFile("not a spreadsheet: the XLSX file is not a whole zip archive") from None
    except Exception as e:
        raise RefusedFile(f"cannot be read as XLSX: {type(e).__name__} in {sheet._worksheet_path}") from None
    finally:
        book.close()


MAX_SHEET_ROWS, MAX_SHEET_COLUMNS = 1_048_576, 16_384  # a spreadsheet's limits, which ODS repeats may claim past


def _ods_rows(export: ExportFile) -> Iterator[tuple[int, list[object]]]:
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableRow

    _ods_content_parses(export.path)  # odfpy keeps the rows before an XML error, and prints the part
    try:
        with _quiet():
            doc = load(str(export.path))
    except _NOT_A_ZIP:
        raise RefusedFile("not a spreadsheet: the ODS file is not a whole zip archive") from None
    except Exception as e:  # odfpy raises many types for a broken file
        raise RefusedFile(f"cannot be read as ODS: {e}") from None
    tables = doc.spreadsheet.getElementsByType(Table) if doc.spreadsheet else []
    if not tables:
        raise RefusedFile("the ODS file has no sheet")
    by_name = {str(t.getAttrNS(TABLENS, "name")).lower(): t for t in tables}
    sheet = by_name.get(export.kind.name, tables[0])
    number = 1
    try:
        for row in sheet.getElementsByType(TableRow):
            repeat = int(row.getAttrNS(TABLENS, "number-rows-repeated") or 1)
            cells = _ods_cells(row, OFFICENS, TABLENS)
            if any(c is not None for c in cells):
                if number + repeat > MAX_SHEET_ROWS + 1:
                    raise RefusedFile(f"more than {MAX_SHEET_ROWS:,} rows")
                for _ in range(repeat):
                    yield number, cells
                    number += 1
            else:
                number += repeat
    except RefusedFile:
        raise
    except Exception as e:  # a value the ODS format does not allow (a date that is none, a repeat that is no number)
        raise RefusedFile(f"cannot be read as ODS: {type(e).__name__} in row {number}") from None


def _ods_content_parses(path: Path) -> None:
    """Raises RefusedFile unless the ODS file is a zip holding a well-formed content.xml."""
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as content:
            expat.ParserCreate().ParseFile(content)
    except _NOT_A_ZIP:
        raise RefusedFile("not a spreadsheet: the ODS file is not a whole zip archive") from None
    except KeyError:
        raise RefusedFile("not a spreadsheet: the ODS file has no content.xml") from None
    except expat.ExpatError as e:
        raise _broken_xml("content.xml", e) from None


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
        if len(cells) + blanks + repeat > MAX_SHEET_COLUMNS:
            raise RefusedFile(f"more than {MAX_SHEET_COLUMNS:,} columns")
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


def sql_literal(text: str) -> str:
    """Text as an SQL string literal, where a statement takes no parameter (a path in a view)."""
    return "'" + text.replace("'", "''") + "'"
