"""Numbers as Indonesian readers write them: 12.545.556.074 and 83,05 (thousands with a dot, decimals
after a comma), Rp before amounts, a dash for a figure that does not exist."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KOSONG = "–"
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}


def angka(value: Decimal | int | None, desimal: int | None = None) -> str:
    """20,06 · 0,1 · 12.545.556.074; `desimal` decimals (rounded half-up), or as many as the value has."""
    if value is None:
        return KOSONG
    value = Decimal(value)
    if desimal is not None:
        value = value.quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP)
    return f"{value:,f}".translate(str.maketrans(",.", ".,"))


def rupiah(value: Decimal | int | None) -> str:
    """Rp 12.545.556.074; cents only when there are some (Rp 1.205.908.800,50)."""
    if value is None:
        return KOSONG
    value = Decimal(value)
    return "Rp " + angka(value, 0 if value == value.to_integral_value() else 2)


def persen(value: Decimal | None, desimal: int = 2) -> str:
    """83,05%"""
    return KOSONG if value is None else angka(value, desimal) + "%"
