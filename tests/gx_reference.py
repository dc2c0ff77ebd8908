"""Great Expectations itself on a suite's rows: the reference that the gate's DuckDB evaluation
(expectations/runner.py) is held to. As the gate did before it ran in SQL: each target (the suite's
table, only the columns its expectations name, a raw suite's events of the batches checked; or a
derived query's rows) is read through DuckDB and Arrow into pandas and validated as a
whole-dataframe batch of an ephemeral GX context."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb

# GX logs its set-up at INFO: keep it to its warnings, from its import on (and after: one of its
# modules sets INFO on its own logger).
logging.getLogger("great_expectations").setLevel(logging.WARNING)

import great_expectations as gx  # noqa: E402
from great_expectations.core import ExpectationSuite  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)

from expectations.runner import Suite, columns_named, query_sql, table_sql  # noqa: E402


@dataclass(frozen=True)
class Result:
    """What the gate keeps of GX's result of one expectation."""
    success: bool
    observed_value: object
    element_count: int | None
    unexpected_count: int | None
    missing_count: int | None


def gx_suite(path: Path) -> ExpectationSuite:
    """The suite file as GX loads it (GX drops an expectation of an unknown type)."""
    return ExpectationSuite(**json.loads(path.read_text(encoding="utf-8")))


def python(value: object) -> object:
    return value.item() if hasattr(value, "item") else value  # numpy scalars


def result(validation) -> Result:
    details = validation.result or {}
    raised = (validation.exception_info or {}).get("raised_exception")
    return Result(bool(validation.success) and not raised, python(details.get("observed_value")),
                  details.get("element_count"), details.get("unexpected_count"), details.get("missing_count"))


class Reference:
    """One ephemeral GX context validating pandas frames."""

    def __init__(self) -> None:
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.batches = (context.data_sources.add_pandas("warehouse").add_dataframe_asset("frame")
                        .add_batch_definition_whole_dataframe("whole frame"))

    def validate(self, con: duckdb.DuckDBPyConnection, suite: Suite,
                 batch_ids: tuple[int, ...] | None = None) -> dict[str, Result]:
        """Every expectation of the suite through GX, by description."""
        checked = ExpectationSuite(name=suite.name, expectations=[
            {"type": e.type, "kwargs": e.kwargs, "description": e.description, "meta": e.meta}
            for e in suite.expectations])
        own = [e for e in checked.expectations if "query" not in e.meta]
        results = self.results(self.table_frame(con, suite, own, batch_ids), suite.name, own) if own else {}
        params = {"batch_ids": None if batch_ids is None else list(batch_ids)} if suite.layer == "raw" else None
        for e in checked.expectations:
            if "query" in e.meta:
                frame = con.sql(query_sql(suite, e.meta["query"]), params=params).to_arrow_table().to_pandas()
                results |= self.results(frame, suite.name, [e])
        return results

    @staticmethod
    def table_frame(con: duckdb.DuckDBPyConnection, suite: Suite, expectations: list,
                    batch_ids: tuple[int, ...] | None):
        named = set().union(*(columns_named(e.configuration.to_json_dict()["kwargs"]) for e in expectations))
        names = suite.key + sorted(named - set(suite.key))
        columns = ", ".join(f'"{name}"' for name in names)
        return con.sql(f"select {columns} from ({table_sql(suite, batch_ids)})").to_arrow_table().to_pandas()

    def results(self, frame, name: str, expectations: list) -> dict[str, Result]:
        batch = self.batches.get_batch(batch_parameters={"dataframe": frame})
        validated = batch.validate(ExpectationSuite(name=name, expectations=expectations))
        return {r.expectation_config.description: result(r) for r in validated.results}
