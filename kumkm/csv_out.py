"""Every CSV kumkm writes (report, rejects, audit, export): text a spreadsheet would run as a formula
gets a leading apostrophe, which shows it as the text it is (CSV injection)."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TextIO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """The value, or for text that starts like a formula (=, +, -, @, tab, carriage return) the text
    after an apostrophe; numbers stay numbers, written as numbers or as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(out: TextIO, columns: list[str], rows: Iterable[Iterable[object]]) -> None:
    """A header and the rows, every cell made safe; `out` opened with newline=''."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
