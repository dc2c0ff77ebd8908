"""Personal data is never printed in clear text (sources.md): `3275********0001`, `0812****7788`."""
from __future__ import annotations

import re
import traceback
from pathlib import Path

PERSONAL_COLUMNS = frozenset({"nama_pemilik", "nik_pemilik", "no_hp", "alamat"})
MESSAGE_MAX = 300  # characters of a message that may quote a file's text

# A NIK (16 digits) and an Indonesian mobile number (08..., 628..., +62 8...; spaces or dashes allowed).
_PERSONAL_NUMBER = re.compile(r"(?<![\d+])(?:\d{16}|(?:\+62|62|0)[ -]?8(?:[ -]?\d){7,11})(?!\d)")


def mask(value: str | None) -> str | None:
    """Keeps the first and last four characters of a long value, hides the rest."""
    if value is None:
        return None
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_cell(column: str | None, value: str | None) -> str | None:
    return mask(value) if column in PERSONAL_COLUMNS else value


def unexpected(error: Exception) -> str:
    """An error no rule foresaw, in one line fit to print: its type and where it was raised (its
    text may quote a file's row, and a traceback's would)."""
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    return f"unexpected {type(error).__name__}" + (f" at {Path(frame.filename).name}:{frame.lineno}" if frame else "")


def scrubbed(message: str) -> str:
    """A message fit to print, store and log: one line, every number shaped like a NIK or a phone
    number masked, cut to MESSAGE_MAX characters."""
    line = " ".join(message.split())
    line = _PERSONAL_NUMBER.sub(lambda m: mask(m.group()), line)
    return line if len(line) <= MESSAGE_MAX else line[:MESSAGE_MAX - 3] + "..."
