"""The Great Expectations types the suites use, as DuckDB SQL that counts what GX 1.24 counts on a
pandas frame of the same rows (tests/test_gx_conformance.py holds the two to the same results).

An expectation becomes a `Rule` over a relation named `target`: the aggregates it needs, computed in
the one scan of its target beside every other rule's, how GX judges their values, and the SQL of the
rows (or values) that break it. GX's own rules, followed here:

- a column map expectation (not null, between, in set, match regex, unique) counts every row
  (`element_count`), the missing ones (null, or NaN in a float column, as pandas sees them) and the
  unexpected ones among the rest; not null counts the missing rows as its unexpected ones;
- a column pair or compound expectation leaves out the rows `ignore_row_if` names (its missing ones)
  and finds the unexpected ones among the others;
- `mostly` is the share of the rows considered that must be expected (default: all); no row
  considered is a success;
- `row_condition` (GX's comparison, nullity, and, or conditions) narrows the rows first, with pandas'
  semantics of a missing value: it equals nothing, so `!=` and NOT_IN keep it;
- distinct values to equal set counts the distinct values outside the set and the set's values
  absent; table row count observes the number of rows.

A type or keyword argument not listed here is a SuiteError, never an expectation that silently holds;
so is, on the target it runs on, a row condition comparing a date column with a string (GX's pandas
finds such a date equal to no string, and cannot order them) and a string bound on a number column. Patterns run in RE2, not Python's re:
its `\\d` is ASCII only and its `$` does not match before a final newline, stricter, never more lenient.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

Kwargs = dict
Types = dict[str, str]  # the target's columns and their DuckDB types


class SuiteError(Exception):
    """A suite file that cannot be evaluated as written."""


@dataclass(frozen=True)
class Verdict:
    """An expectation's result, in GX's terms."""
    success: bool
    observed_value: object = None
    element_count: int | None = None
    unexpected_count: int | None = None
    missing_count: int | None = None


@dataclass(frozen=True)
class Rule:
    """An expectation as SQL over the rows of `target`."""
    aggregates: tuple[str, ...]
    judge: Callable[[tuple], Verdict]
    breaking: Callable[[str], str] | None  # given the columns to show, SQL of what breaks it


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A JSON scalar as SQL; a string compared with a date column is cast to a date by DuckDB, as GX
    compares ISO date bounds with dates."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise SuiteError(f"{value!r} is not a string, number or boolean")


def values_list(values: object) -> str:
    if not isinstance(values, list):
        raise SuiteError(f"{values!r} is not a list")
    return ", ".join(map(literal, values))


def missing(column: str, types: Types) -> str:
    """Null as pandas sees it: NaN too, in a float column."""
    name = quoted(column)
    return f"({name} is null or isnan({name}))" if types.get(column) in ("FLOAT", "DOUBLE") else f"({name} is null)"


def within(values: str, column: str) -> str:
    return f"{quoted(column)} in ({values})" if values else "false"


COMPARISONS = {"==": "=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def condition(node: object, types: Types) -> str:
    """A GX row condition (comparison, nullity, and, or) as a SQL predicate that is never null."""
    if not isinstance(node, dict):
        raise SuiteError(f"row_condition {node!r}: only GX's condition objects (comparison, nullity, and, or) "
                         "run in SQL, not a pandas query string")
    kind = node.get("type")
    if kind in ("and", "or"):
        expect_keys(node, {"type", "conditions"}, f"{kind} condition", {"type", "conditions"})
        if not isinstance(node["conditions"], list) or not node["conditions"]:
            raise SuiteError(f"{kind} condition without conditions")
        return "(" + f" {kind} ".join(condition(c, types) for c in node["conditions"]) + ")"
    if kind == "nullity":
        expect_keys(node, {"type", "column", "is_null"}, "nullity condition", {"type", "column", "is_null"})
        absent = missing(condition_column(node), types)
        return absent if flag(node, "is_null") else f"not {absent}"
    if kind == "comparison":
        keys = {"type", "column", "operator", "parameter"}
        expect_keys(node, keys, "comparison condition", keys)
        return comparison(condition_column(node), node["operator"], node["parameter"], types)
    raise SuiteError(f"row_condition type {kind!r} is not comparison, nullity, and or or")


def condition_column(node: dict) -> str:
    column = node["column"]
    if not (isinstance(column, dict) and set(column) == {"name"} and isinstance(column["name"], str)):
        raise SuiteError(f"condition column {column!r} is not {{\"name\": ...}}")
    return column["name"]


def comparison(column: str, operator: object, parameter: object, types: Types) -> str:
    if isinstance(parameter, str) and types.get(column, "").startswith(("DATE", "TIME")):
        raise SuiteError(f"row_condition compares {column}, a {types[column]} column, with the string "
                         f"{parameter!r}: GX's pandas compares none equal or ordered")
    present = f"not {missing(column, types)}"
    if operator in ("IN", "NOT_IN"):
        kept = f"({present} and {within(values_list(parameter), column)})"
    elif operator in COMPARISONS or operator == "!=":
        kept = f"({present} and {quoted(column)} {COMPARISONS.get(operator, '=')} {literal(parameter)})"
    else:
        raise SuiteError(f"condition operator {operator!r} is not one of GX's")
    return f"not {kept}" if operator in ("!=", "NOT_IN") else kept


def expect_keys(given: dict, allowed: set[str], what: str, required: set[str] = frozenset()) -> None:
    if unknown := sorted(set(given) - allowed):
        raise SuiteError(f"{what} does not take {', '.join(unknown)}")
    if absent := sorted(required - set(given)):
        raise SuiteError(f"{what} needs {', '.join(absent)}")


def text(kwargs: Kwargs, name: str) -> str:
    if not isinstance(kwargs[name], str):
        raise SuiteError(f"{name} {kwargs[name]!r} is not a column name")
    return kwargs[name]


def flag(kwargs: Kwargs, name: str) -> bool:
    value = kwargs.get(name, False)
    if not isinstance(value, bool):
        raise SuiteError(f"{name} {value!r} is not true or false")
    return value


def mostly(kwargs: Kwargs) -> float:
    share = kwargs.get("mostly", 1.0)
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise SuiteError(f"mostly {share!r} is not a number from 0 to 1")
    return float(share)


def holds(considered: int, unexpected: int, share: float) -> bool:
    """GX's success of a map expectation: vacuous without rows considered, else the share expected."""
    return considered == 0 or (considered - unexpected) / considered >= share


def domain(kwargs: Kwargs, types: Types) -> str:
    return condition(kwargs["row_condition"], types) if kwargs.get("row_condition") is not None else "true"


def counted(where: str) -> str:
    return f"count(*) filter (where {where})"


def repeated(columns: list[str], where: str) -> str:
    """How many rows share their values of the columns with another row."""
    names = ", ".join(map(quoted, columns))
    return (f"(select coalesce(sum(n), 0) from (select count(*) as n from target where {where} "
            f"group by {names} having count(*) > 1))")


def repeated_rows(columns: list[str], where: str) -> Callable[[str], str]:
    names = ", ".join(map(quoted, columns))
    return lambda shown: (f"select {shown} from (select *, count(*) over (partition by {names}) as repeats "
                          f"from target where {where}) where repeats > 1")


def rows_where(where: str) -> Callable[[str], str]:
    return lambda shown: f"select {shown} from target where {where}"


def row_map(where: str, skipped: str | None, unexpected: str, breaking: Callable[[str], str],
            share: float) -> Rule:
    """A map expectation's three counts: its rows, those left out as missing (None: none are, as for
    not null, which reports no missing count), and the unexpected ones among the others."""
    def judge(counts: tuple) -> Verdict:
        element, left_out, bad = counts
        return Verdict(holds(element - left_out, bad, share), None, element, bad,
                       None if skipped is None else left_out)
    return Rule((counted(where), counted(f"{where} and {skipped}") if skipped else "0", unexpected), judge, breaking)


def column_map(kwargs: Kwargs, types: Types, expected: str | None) -> Rule:
    """A column map expectation whose expected values satisfy `expected` (None: are unique)."""
    column, where = text(kwargs, "column"), domain(kwargs, types)
    absent = missing(column, types)
    considered = f"{where} and not {absent}"
    if expected is None:
        return row_map(where, absent, repeated([column], considered), repeated_rows([column], considered),
                       mostly(kwargs))
    bad = f"{considered} and ({expected}) is not true"
    return row_map(where, absent, counted(bad), rows_where(bad), mostly(kwargs))


def not_null(kwargs: Kwargs, types: Types) -> Rule:
    where = domain(kwargs, types)
    bad = f"{where} and {missing(text(kwargs, 'column'), types)}"
    return row_map(where, None, counted(bad), rows_where(bad), mostly(kwargs))


def between(kwargs: Kwargs, types: Types) -> Rule:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is None and high is None:
        raise SuiteError("min_value and max_value cannot both be missing")
    if low is not None and high is not None and type(low) is type(high) and low > high:
        raise SuiteError(f"min_value {low!r} is above max_value {high!r}")
    name = text(kwargs, "column")
    if str in (type(low), type(high)) and not types.get(name, "VARCHAR").startswith(("VARCHAR", "DATE", "TIME")):
        raise SuiteError(f"a string bound on {name}, a {types[name]} column: GX's pandas cannot compare them")
    column = quoted(name)
    bounds = ([f"{column} {'>' if flag(kwargs, 'strict_min') else '>='} {literal(low)}"] if low is not None else []) \
        + ([f"{column} {'<' if flag(kwargs, 'strict_max') else '<='} {literal(high)}"] if high is not None else [])
    return column_map(kwargs, types, " and ".join(bounds))


def in_set(kwargs: Kwargs, types: Types) -> Rule:
    return column_map(kwargs, types, within(values_list(kwargs["value_set"]), text(kwargs, "column")))


def match_regex(kwargs: Kwargs, types: Types) -> Rule:
    if not isinstance(kwargs["regex"], str):
        raise SuiteError(f"regex {kwargs['regex']!r} is not a string")
    return column_map(kwargs, types, f"regexp_matches({quoted(text(kwargs, 'column'))}, {literal(kwargs['regex'])})")


def unique(kwargs: Kwargs, types: Types) -> Rule:
    return column_map(kwargs, types, None)


def columns_missing(columns: list[str], types: Types, ignore: str, options: dict[str, str]) -> str:
    if ignore not in options:
        raise SuiteError(f"ignore_row_if {ignore!r} is not one of {', '.join(options)}")
    joiner = options[ignore]
    return f"({f' {joiner} '.join(missing(c, types) for c in columns)})" if joiner else "false"


def compound_unique(kwargs: Kwargs, types: Types) -> Rule:
    columns = kwargs["column_list"]
    if not (isinstance(columns, list) and columns and all(isinstance(c, str) for c in columns)):
        raise SuiteError(f"column_list {columns!r} is not a list of column names")
    where = domain(kwargs, types)
    skipped = columns_missing(columns, types, kwargs.get("ignore_row_if", "all_values_are_missing"),
                              {"all_values_are_missing": "and", "any_value_is_missing": "or", "never": ""})
    considered = f"{where} and not {skipped}"
    return row_map(where, skipped, repeated(columns, considered), repeated_rows(columns, considered),
                   mostly(kwargs))


def a_greater_than_b(kwargs: Kwargs, types: Types) -> Rule:
    a, b, where = text(kwargs, "column_A"), text(kwargs, "column_B"), domain(kwargs, types)
    skipped = columns_missing([a, b], types, kwargs.get("ignore_row_if", "both_values_are_missing"),
                              {"both_values_are_missing": "and", "either_value_is_missing": "or", "neither": ""})
    greater = f"{quoted(a)} {'>=' if flag(kwargs, 'or_equal') else '>'} {quoted(b)}"
    # pandas compares a missing value as False: the row is unexpected unless `ignore_row_if` left it out
    bad = (f"{where} and not {skipped} and not (not {missing(a, types)} and not {missing(b, types)} "
           f"and {greater})")
    return row_map(where, skipped, counted(bad), rows_where(bad), mostly(kwargs))


def distinct_values_equal_set(kwargs: Kwargs, types: Types) -> Rule:
    column, values = text(kwargs, "column"), values_list(kwargs["value_set"])
    present = f"{domain(kwargs, types)} and not {missing(column, types)}"
    outside = f"{present} and not {within(values, column)}"
    expected = len(set(kwargs["value_set"]))

    def judge(counts: tuple) -> Verdict:
        unexpected, found = counts
        return Verdict(unexpected == 0 and found == expected, None, None, unexpected, expected - found)
    name = quoted(column)
    return Rule((f"count(distinct {name}) filter (where {outside})",
                 f"count(distinct {name}) filter (where {present} and {within(values, column)})"), judge,
                lambda shown: f"select distinct {name} from target where {outside} order by 1")


def row_count(kwargs: Kwargs, types: Types) -> Rule:
    value = kwargs["value"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SuiteError(f"value {value!r} is not a row count")
    return Rule((counted(domain(kwargs, types)),), lambda counts: Verdict(counts[0] == value, counts[0]), None)


MAP = {"mostly", "row_condition"}
TYPES: dict[str, tuple[Callable[[Kwargs, Types], Rule], set[str], set[str]]] = {
    # type: (its rule, keyword arguments it needs, those it may have)
    "expect_column_values_to_not_be_null": (not_null, {"column"}, MAP),
    "expect_column_values_to_be_between":
        (between, {"column"}, MAP | {"min_value", "max_value", "strict_min", "strict_max"}),
    "expect_column_values_to_be_in_set": (in_set, {"column", "value_set"}, MAP),
    "expect_column_values_to_match_regex": (match_regex, {"column", "regex"}, MAP),
    "expect_column_values_to_be_unique": (unique, {"column"}, MAP),
    "expect_compound_columns_to_be_unique": (compound_unique, {"column_list"}, MAP | {"ignore_row_if"}),
    "expect_column_pair_values_a_to_be_greater_than_b":
        (a_greater_than_b, {"column_A", "column_B"}, MAP | {"or_equal", "ignore_row_if"}),
    "expect_column_distinct_values_to_equal_set": (distinct_values_equal_set, {"column", "value_set"}, {"row_condition"}),
    "expect_table_row_count_to_equal": (row_count, {"value"}, {"row_condition"}),
}


def rule(expectation_type: str, kwargs: Kwargs, types: Types | None = None) -> Rule:
    """The expectation as a Rule over a target of these column types (unknown: checks the suite
    file alone); SuiteError when it is of a type or has an argument not supported here, or cannot
    run on the target as GX would."""
    if expectation_type not in TYPES:
        raise SuiteError(f"unknown expectation type {expectation_type}")
    make, required, optional = TYPES[expectation_type]
    if not isinstance(kwargs, dict):
        raise SuiteError(f"kwargs {kwargs!r} is not an object")
    expect_keys(kwargs, required | optional, expectation_type, required)
    return make(kwargs, types or {})
