"""Great Expectations is the reference of the quality gate: every suite, run through GX on pandas
(gx_reference.py) and through the gate's DuckDB SQL (expectations/runner.py), gives the same
success, observed value, element, unexpected and missing counts for every expectation, on the sample
warehouse, on the sample with each blocking expectation broken as test_expectations.py breaks it, and on a table of
the cases where pandas' and SQL's nulls part ways. Every suite file also loads whole in GX."""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from expectations.runner import SUITES, Suite, expectation, load_suite, load_suites, run, warehouse
from expectations.sql import TYPES
from gx_reference import Reference, Result, gx_suite
from kumkm.home import Home
from conftest import restaged
from test_expectations import BREAKS, SUITE_FILES, corrupt, raw_break


@pytest.fixture(scope="module")
def reference() -> Reference:
    return Reference()


def sql_results(home: Home, suite: Suite, batch_ids: tuple[int, ...] | None = None) -> dict[str, Result]:
    outcomes = run(home, [(suite, batch_ids)])
    assert not [o.exception for o in outcomes if o.exception]
    return {o.description: Result(o.success, o.observed_value, o.element_count, o.unexpected_count, o.missing_count)
            for o in outcomes}


def gx_results(reference: Reference, home: Home, suite: Suite,
               batch_ids: tuple[int, ...] | None = None) -> dict[str, Result]:
    with warehouse(home) as con:
        return reference.validate(con, suite, batch_ids)


@pytest.mark.parametrize("path", SUITE_FILES, ids=lambda p: p.stem)
def test_suite_file_loads_whole_in_gx(path):
    spec = json.loads(path.read_text(encoding="utf-8"))
    loaded = gx_suite(path)
    assert len(loaded.expectations) == len(spec["expectations"]) == len(load_suite(path).expectations)
    assert {e.expectation_type for e in loaded.expectations} <= set(TYPES)


@pytest.mark.parametrize("path", SUITE_FILES, ids=lambda p: p.stem)
def test_sql_counts_as_gx_on_the_sample(reference, demo_home, path):
    suite, home = load_suite(path), Home(demo_home)
    assert sql_results(home, suite) == gx_results(reference, home, suite)


def broken() -> list[tuple[Suite, dict[str, str]]]:
    """Suites and their blocking expectations broken as test_expectations.py breaks them (each by
    SQL): a raw suite's all at once, each by a batch of its own; a staging or marts suite's one at a
    time, as a break of one may undo another's (a total row renamed is no longer a total row)."""
    cases = []
    for suite in load_suites():
        blocking = [e for e in suite.expectations if e.severity == "blocking"]
        if suite.layer == "raw":
            cases.append((suite, {e.description: raw_break(suite, e) for e in blocking}))
        else:
            cases += [(suite, {e.description: BREAKS[suite.name][e.description]}) for e in blocking]
    return cases


BROKEN = broken()


@pytest.mark.parametrize("suite, breaks", BROKEN,
                         ids=[f"{s.name}: {'all blocking' if s.layer == 'raw' else next(iter(b))}" for s, b in BROKEN])
def test_sql_counts_as_gx_on_broken_data(reference, demo_home, tmp_path, suite, breaks):
    home = Home(tmp_path / "home")
    home.root.mkdir()
    for db in ("events.duckdb", "transform.duckdb"):
        shutil.copy(demo_home / db, home.root / db)
    for sql in breaks.values():
        corrupt(home, sql)
    if suite.layer == "staging":
        restaged(home.root, suite.meta["table"].split(".")[-1], demo_home / "dbt" / "compiled")
    from_sql = sql_results(home, suite)
    assert from_sql == gx_results(reference, home, suite)
    assert not [description for description in breaks if from_sql[description].success]


EDGE_ROWS = """
create schema edge;
create table edge.cases (id integer, grp varchar, n integer, x double, d date, e date, s varchar, b boolean);
insert into edge.cases values
    (1, 'a', 1,    1.5,         date '2024-01-01', date '2024-01-05', 'x1', true),
    (2, 'a', null, null,        null,              date '2024-01-05', 'x1', false),
    (3, 'b', 5,    'nan',       date '1899-12-31', null,              null, null),
    (4, 'b', 5,    -1,          date '2024-02-01', date '2024-01-05', 'x2', true),
    (5, null, 7,   0,           null,              null,              'y',  true),
    (6, 'c', 7,    'nan',       date '2024-03-01', date '2024-03-01', null, false),
    (7, null, null, 2.5,        date '2024-03-01', date '2024-02-01', 'x1', null)
"""

EDGE_EXPECTATIONS = [
    ("expect_column_values_to_not_be_null", {"column": "n"}),
    ("expect_column_values_to_not_be_null", {"column": "x"}),
    ("expect_column_values_to_not_be_null", {"column": "n", "mostly": 0.7}),
    ("expect_column_values_to_be_between", {"column": "d", "min_value": "1900-01-01", "max_value": "2024-02-01"}),
    ("expect_column_values_to_be_between", {"column": "n", "min_value": 1, "max_value": 7, "strict_min": True,
                                            "strict_max": True}),
    ("expect_column_values_to_be_between", {"column": "x", "max_value": 2}),
    ("expect_column_values_to_be_between", {"column": "x", "min_value": 0, "mostly": 0.5}),
    ("expect_column_values_to_be_in_set", {"column": "s", "value_set": ["x1", "x2"]}),
    ("expect_column_values_to_be_in_set", {"column": "b", "value_set": [True]}),
    ("expect_column_values_to_be_in_set", {"column": "n", "value_set": []}),
    ("expect_column_values_to_be_unique", {"column": "s"}),
    ("expect_column_values_to_be_unique", {"column": "x"}),
    ("expect_column_values_to_match_regex", {"column": "s", "regex": "^x\\d$"}),
    ("expect_compound_columns_to_be_unique", {"column_list": ["grp", "s"]}),
    ("expect_compound_columns_to_be_unique", {"column_list": ["grp", "s"], "ignore_row_if": "any_value_is_missing"}),
    ("expect_compound_columns_to_be_unique", {"column_list": ["grp", "n"], "ignore_row_if": "never"}),
    ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "e", "column_B": "d", "or_equal": True}),
    ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "e", "column_B": "d",
                                                          "ignore_row_if": "either_value_is_missing"}),
    ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "x", "column_B": "n", "ignore_row_if": "neither"}),
    ("expect_column_distinct_values_to_equal_set", {"column": "grp", "value_set": ["a", "b", "c"]}),
    ("expect_column_distinct_values_to_equal_set", {"column": "grp", "value_set": ["a", "b", "z"]}),
    ("expect_table_row_count_to_equal", {"value": 7}),
]

EDGE_CONDITIONS = [
    {"type": "comparison", "column": {"name": "grp"}, "operator": "==", "parameter": "a"},
    {"type": "comparison", "column": {"name": "grp"}, "operator": "!=", "parameter": "a"},
    {"type": "comparison", "column": {"name": "x"}, "operator": ">", "parameter": 0},
    {"type": "comparison", "column": {"name": "x"}, "operator": "<=", "parameter": 1.5},
    {"type": "comparison", "column": {"name": "n"}, "operator": ">=", "parameter": 5},
    {"type": "comparison", "column": {"name": "n"}, "operator": "<", "parameter": 7},
    {"type": "comparison", "column": {"name": "grp"}, "operator": "IN", "parameter": ["a", "c"]},
    {"type": "comparison", "column": {"name": "x"}, "operator": "NOT_IN", "parameter": [0, 1.5]},
    {"type": "nullity", "column": {"name": "s"}, "is_null": True},
    {"type": "nullity", "column": {"name": "x"}, "is_null": False},
    {"type": "and", "conditions": [{"type": "nullity", "column": {"name": "grp"}, "is_null": False},
                                   {"type": "comparison", "column": {"name": "n"}, "operator": "!=", "parameter": 5}]},
    {"type": "or", "conditions": [{"type": "comparison", "column": {"name": "grp"}, "operator": "==", "parameter": "c"},
                                  {"type": "nullity", "column": {"name": "d"}, "is_null": True}]},
]


# A row condition narrows the rows alike for every column map type: of those, not null and unique run
# under each condition, beside the other types (GX takes some 60 ms an expectation).
CONDITIONED = {"expect_column_values_to_not_be_null", "expect_column_values_to_be_unique",
               "expect_compound_columns_to_be_unique", "expect_column_pair_values_a_to_be_greater_than_b",
               "expect_column_distinct_values_to_equal_set", "expect_table_row_count_to_equal"}


def edge_suite() -> Suite:
    """Every expectation on the edge cases, and those of the CONDITIONED types again under each row
    condition."""
    kinds = EDGE_EXPECTATIONS + [(kind, {**kwargs, "row_condition": condition}) for condition in EDGE_CONDITIONS
                                 for kind, kwargs in EDGE_EXPECTATIONS if kind in CONDITIONED]
    return Suite("edge", {"layer": "marts", "table": "edge.cases", "key": ["id"], "digest": "edge"}, [
        expectation({"type": kind, "kwargs": kwargs, "description": f"{number}: {kind}",
                     "meta": {"severity": "blocking"}}) for number, (kind, kwargs) in enumerate(kinds)])


def test_sql_counts_as_gx_where_nulls_nan_and_row_conditions_meet(reference, tmp_path):
    home = Home(tmp_path / "home")
    home.root.mkdir()
    con = duckdb.connect(str(home.transform_db))
    con.execute(EDGE_ROWS)
    con.close()
    suite = edge_suite()
    from_sql = sql_results(home, suite)
    assert from_sql == gx_results(reference, home, suite)
    assert {r.success for r in from_sql.values()} == {True, False}
    assert len({(r.unexpected_count, r.element_count, r.missing_count) for r in from_sql.values()}) > 20


def test_the_suites_use_every_type_the_gate_evaluates():
    used = {e.type for path in sorted(SUITES.glob("*.json")) for e in load_suite(path).expectations}
    assert used == set(TYPES)
