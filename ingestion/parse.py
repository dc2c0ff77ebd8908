"""SQL that reads the contract's text values: one expression per column type, evaluated by DuckDB."""
from __future__ import annotations

import re

from ingestion.contract import KECAMATAN, Column

SQL_TYPES = {"integer": "bigint", "amount": "decimal(18,2)", "decimal": "decimal(18,6)", "date": "date"}

_AMOUNT = (r"^(-)?(?:[Rr][Pp]\s?)?(-)?"
           r"(\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?)$")
_PLAIN_AMOUNT = r"^(\d+|\d{1,3}(\.\d{3})+)$"
_PATTERNS = {
    "nik16": r"^\d{16}$",
    "nib13": r"^\d{13}$",
    "kode_sub_kegiatan": r"^2\.17\.\d{2}\.\d\.\d{2}\.\d{4}$",
}
_EXPECTED = {
    "amount": "not an amount (write 1205908800, 1.205.908.800, 1.205.908.800,50 or Rp 1.205.908.800)",
    "integer": "not a whole number",
    "decimal": "not a number (write 83,05 or 83.05)",
    "date": "not a date (write YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY)",
    "nik16": "must be 16 digits",
    "nib13": "must be 13 digits",
    "kode_sub_kegiatan": "not a sub-activity code 2.17.PP.K.KK.SSSS",
    "kecamatan": "not one of the 12 kecamatan of Kota Bekasi",
}

MACROS = rf"""
create or replace temp macro kumkm_amount_parts(s) as
    regexp_extract(s, '{_AMOUNT}', ['minus', 'minus_after_rp', 'digits']);
create or replace temp macro kumkm_amount(p) as case
    when p.digits <> '' and not (p.minus = '-' and p.minus_after_rp = '-') then
        (case when p.minus = '-' or p.minus_after_rp = '-' then -1 else 1 end) * try_cast(case
            when contains(p.digits, ',') then replace(replace(p.digits, '.', ''), ',', '.')
            when contains(p.digits, '.') and regexp_matches(p.digits, '^\d{{1,3}}(\.\d{{3}})+$')
                then replace(p.digits, '.', '')
            else p.digits end as decimal(18,2))
    end;
create or replace temp macro kumkm_integer(s) as case
    when regexp_matches(s, '^-?(\d+|\d{{1,3}}(\.\d{{3}})+)$') then try_cast(replace(s, '.', '') as bigint) end;
create or replace temp macro kumkm_decimal(s) as case
    when regexp_matches(s, '^-?\d+([.,]\d+)?$') then try_cast(replace(s, ',', '.') as decimal(18,6)) end;
create or replace temp macro kumkm_date(s) as case
    when regexp_matches(s, '^(\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{1,2}}-\d{{1,2}}-\d{{4}})$')
        then cast(case when s[5] = '-' then try_strptime(s, '%Y-%m-%d')
                       when contains(s, '/') then try_strptime(s, '%d/%m/%Y')
                       else try_strptime(s, '%d-%m-%Y') end as date) end;
"""


def _choice_key(value: str) -> str:
    return re.sub(r"[\s_\-]", "", value.lower())


def _lookup(raw: str, key: str, canonical: tuple[str, ...]) -> str:
    """The canonical value whose key is `key`; a value written exactly as canonical is looked up
    first, which spares most cells the key's string work."""
    keys = {}
    for c in canonical:
        keys.setdefault(_choice_key(c), c)
    exact = " ".join(f"when '{c}' then '{c}'" for c in keys.values())
    whens = " ".join(f"when '{k}' then '{c}'" for k, c in keys.items())
    return f"case {raw} {exact} else case {key} {whens} end end"


def parts(column: Column) -> str | None:
    """A pre-computed part of the raw value, so that a regex runs once per cell: an amount's parts,
    NULL for a plain amount (digits, with or without thousands dots), which needs none."""
    if column.type == "amount":
        raw = f'"{column.name}"'
        return f"case when not regexp_matches({raw}, '{_PLAIN_AMOUNT}') then kumkm_amount_parts({raw}) end"
    return None


def parsed(column: Column, raw: str, part: str) -> str:
    """SQL giving the typed value of `raw` (a quoted column), NULL when it does not parse."""
    t = column.type
    if t == "amount":
        return f"case when {part} is null then try_cast(replace({raw}, '.', '') as decimal(18,2)) else kumkm_amount({part}) end"
    if t == "integer":
        return f"kumkm_integer({raw})"
    if t == "decimal":
        return f"kumkm_decimal({raw})"
    if t == "date":
        return f"kumkm_date({raw})"
    if t in _PATTERNS:
        return f"case when regexp_matches({raw}, '{_PATTERNS[t]}') then {raw} end"
    if t == "kecamatan":
        return _lookup(raw, f"lower(replace(replace({raw}, ' ', ''), chr(160), ''))", KECAMATAN)
    if t == "choice":
        return _lookup(raw, f"regexp_replace(lower({raw}), '[\\s_\\-\\x{{00A0}}]', '', 'g')", column.choices)
    return raw


def _expected(column: Column) -> str | None:
    return _EXPECTED.get(column.type) or (
        "must be one of: " + ", ".join(column.choices) if column.type == "choice" else None)


def valid(column: Column, raw: str, value: str) -> str | None:
    """SQL that is true when the cell keeps the contract (exactly when `problem` is NULL), and
    cheaper to evaluate; None when every cell does (an optional text column)."""
    checks = [f"{value} is not null"] if _expected(column) else []
    if column.minimum is not None:
        checks.append(f"{value} >= {column.minimum}")
    if column.maximum is not None:
        checks.append(f"{value} <= {column.maximum}")
    if column.required:
        return " and ".join([f"{raw} is not null"] + checks)
    return f"({raw} is null or {' and '.join(checks)})" if checks else None


def problem(column: Column, raw: str, value: str) -> str:
    """SQL giving the reason a cell breaks the contract, NULL when it does not."""
    missing = "'missing required value'" if column.required else "null"
    expected = _expected(column)
    whens = [f"when {raw} is null then {missing}"]
    if expected:
        whens.append(f"when {value} is null then '{expected}'")
    if column.minimum is not None:
        whens.append(f"when {value} < {column.minimum} then 'must be at least {column.minimum}'")
    if column.maximum is not None:
        whens.append(f"when {value} > {column.maximum} then 'must be at most {column.maximum}'")
    return "case " + " ".join(whens) + " end"
