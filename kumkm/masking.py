"""Personal data is never printed in clear text (sources.md): `3275********0001`, `0812****7788`."""
from __future__ import annotations

PERSONAL_COLUMNS = frozenset({"nama_pemilik", "nik_pemilik", "no_hp", "alamat"})


def mask(value: str | None) -> str | None:
    """Keeps the first and last four characters of a long value, hides the rest."""
    if value is None:
        return None
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_cell(column: str | None, value: str | None) -> str | None:
    return mask(value) if column in PERSONAL_COLUMNS else value
