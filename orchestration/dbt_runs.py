"""The dbt assets' builds: dbt in the run's own process through `kumkm.warehouse.run_dbt` (the
home's parsed manifest, the run's knowledge time K and quarters as vars, as `kumkm refresh` runs
it), reported as dagster-dbt reports a dbt build, every table with its column types and row count
(per quarter where it has quarters).

A build covers what the run selected. A build of quarterly figures also builds, with the same K,
the models from the event store that the selected ones read (the staging tables hold the versions
known at K: a mart built over another K's staging would say one K and hold another's figures), and
the catalogue (seeds, and the dimensions built from them alone) when it changed since this home
last built it.
What is built along is reported as asset events of its assets.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from queue import Queue
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from kumkm.home import Home
from kumkm.warehouse import DBT_PROJECT, RefreshFailed, parsed_project, run_dbt
from orchestration.operations import DATA_TEAM, failed
from orchestration.quarters import quarter_of

KUMKM_DBT = DbtProject(project_dir=DBT_PROJECT, profiles_dir=DBT_PROJECT)


def parse_if_stale(project: DbtProject) -> None:
    """Parses the project (in this process) when its manifest is missing or older than one of its
    files (a fresh checkout, an edited model), so the assets always match the models. The parse
    goes to a folder of its own, then replaces the manifest whole: the code server and every run
    load the definitions, possibly at once."""
    files = [project.project_dir / "dbt_project.yml", *(
        path for folder in ("models", "seeds", "macros", "tests")
        for path in (project.project_dir / folder).rglob("*") if path.is_file())]
    manifest = project.manifest_path
    if manifest.exists() and max(f.stat().st_mtime for f in files) <= manifest.stat().st_mtime:
        return
    target = manifest.parent
    target.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="parse-", dir=target))
    try:
        if (state := target / "partial_parse.msgpack").exists():
            shutil.copy2(state, scratch)
        parsed_project(scratch, manifest_json=True)
        for name in ("partial_parse.msgpack", "manifest.json"):
            os.replace(scratch / name, target / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


parse_if_stale(KUMKM_DBT)
MANIFEST: dict[str, Any] = json.loads(KUMKM_DBT.manifest_path.read_text())


class KumkmDbtTranslator(DagsterDbtTranslator):
    """Keys [layer, name] (["marts", "fct_indicator_quarterly"]) grouped per layer (seeds, staging,
    intermediate, marts); a dbt source is the ingestion asset of its kind (["ods", "rat"]). The data
    team owns every model."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([self.get_group_name(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        return dbt_resource_props["fqn"][1]

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return [DATA_TEAM]


# Every model links to its SQL file.
TRANSLATOR = KumkmDbtTranslator(DagsterDbtTranslatorSettings(enable_code_references=True))

BACKFILL_TAG = "dagster/backfill"
KNOWN_AT_TAG = "kumkm/known_at"


def knowledge_time(context: dg.AssetExecutionContext) -> datetime:
    """K of the run, UTC: when its backfill was launched, so that every run of a backfill builds as
    known at the same time; else when the run was created (a retried step keeps it). Tagged on the run."""
    backfill = context.instance.get_backfill(context.run.tags[BACKFILL_TAG]) \
        if BACKFILL_TAG in context.run.tags else None
    launched = backfill.backfill_timestamp if backfill else \
        context.instance.get_run_record_by_id(context.run.run_id).create_timestamp.timestamp()
    k = datetime.fromtimestamp(launched, timezone.utc).replace(tzinfo=None)
    context.instance.add_run_tags(context.run.run_id, {KNOWN_AT_TAG: k.isoformat(sep=" ")})
    return k


def run_partitions(context: dg.AssetExecutionContext) -> list[str]:
    """The run's quarters; none for a run of checks alone."""
    return context.partition_keys if context.has_partition_key or context.has_partition_key_range else []


def unique_ids(assets_def: dg.AssetsDefinition) -> dict[dg.AssetKey | dg.AssetCheckKey, str]:
    """The dbt node of each asset and check of a dbt assets definition."""
    return {**{spec.key: spec.metadata["dagster_dbt/unique_id"] for spec in assets_def.specs},
            **{spec.key: spec.metadata["dagster_dbt/unique_id"] for spec in assets_def.check_specs}}


def ancestors(nodes: Iterable[str], within: set[str]) -> set[str]:
    """The nodes among `within` that `nodes` read, directly or not."""
    found: set[str] = set()
    todo = list(nodes)
    while todo:
        for parent in MANIFEST["parent_map"].get(todo.pop(), []):
            if parent in within and parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


# --- what was built: the home's record, column types and row counts -----------------------------

def node_digest(unique_id: str) -> str:
    node = MANIFEST["nodes"][unique_id]
    return hashlib.sha256(json.dumps([node["checksum"], node["config"]], sort_keys=True,
                                     default=str).encode()).hexdigest()[:16]


def built_state(home: Home) -> Path:
    return home.dbt_target / "dagster_built.json"


def changed(home: Home, nodes: Iterable[str]) -> bool:
    """Whether a model or seed among `nodes` changed since this home last built it, or is missing
    from the transform database."""
    nodes = list(nodes)
    try:
        built = json.loads(built_state(home).read_text())
    except (OSError, ValueError):
        return True
    if any(built.get(node) != node_digest(node) for node in nodes) or not home.transform_db.exists():
        return True
    con = duckdb.connect(str(home.transform_db), read_only=True)
    try:
        relations = set(con.execute("select table_schema, table_name from information_schema.tables").fetchall())
    finally:
        con.close()
    return any((MANIFEST["nodes"][node]["schema"], MANIFEST["nodes"][node]["alias"]) not in relations
               for node in nodes)


def remember_built(home: Home, nodes: Iterable[str]) -> None:
    try:
        built = json.loads(built_state(home).read_text())
    except (OSError, ValueError):
        built = {}
    built.update({node: node_digest(node) for node in nodes})
    built_state(home).write_text(json.dumps(built, sort_keys=True))


def quarter_number(partition_key: str) -> int:
    quarter = quarter_of(date.fromisoformat(partition_key))
    return quarter.tahun * 10 + quarter.triwulan


# Dagster's table metadata, as dagster-dbt's fetch_row_counts and fetch_column_metadata name it
ROW_COUNT, COLUMN_SCHEMA = "dagster/row_count", "dagster/column_schema"


@dataclass(frozen=True)
class Table:
    """What a built table holds: its columns, and its rows, in total and per partition of the run for
    a table of quarters (tahun, triwulan)."""
    metadata: dict[str, Any]
    rows_per_partition: dict[str, int]


def table_built(unique_id: str, partition_keys: list[str]) -> Table:
    """Read as dagster-dbt's fetch_row_counts and fetch_column_metadata read it, through the dbt
    adapter: here the one of the build in progress, in the thread that has just built the node; on its
    connection's cursor (adapter.execute logs each query as dbt events and makes an agate table of
    its rows: half of the time)."""
    from dbt.adapters.factory import get_adapter_by_type

    node = MANIFEST["nodes"][unique_id]
    adapter = get_adapter_by_type("duckdb")
    with adapter.connection_named("kumkm_table_metadata"):
        cursor = adapter.connections.get_thread_connection().handle.cursor()
        columns = cursor.execute(
            "select column_name, data_type from information_schema.columns where table_schema = ? "
            "and table_name = ? order by ordinal_position", [node["schema"], node["alias"]]).fetchall()
        schema = dg.TableSchema(columns=[
            dg.TableColumn(name, data_type, description=node["columns"].get(name, {}).get("description") or None)
            for name, data_type in columns])
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        if partition_keys and {"tahun", "triwulan"} <= {name for name, _ in columns}:
            numbers = {key: quarter_number(key) for key in partition_keys}
            counts = dict(cursor.execute(
                f"select tahun * 10 + triwulan, count(*) from {relation} where tahun * 10 + triwulan in "
                f"({', '.join(map(str, numbers.values()))}) group by 1").fetchall())
            per_partition = {key: counts.get(number, 0) for key, number in numbers.items()}
            rows = sum(per_partition.values())
        else:
            [(rows,)] = cursor.execute(f"select count(*) from {relation}").fetchall()
            per_partition = {}
    return Table({COLUMN_SCHEMA: schema, ROW_COUNT: rows}, per_partition)


# --- one build -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """The nodes of one build: those the run selected (reported as the step's outputs and check
    results) and those built along (reported as asset events)."""
    selected: frozenset[str]
    along: frozenset[str]

    def selectors(self) -> list[str]:
        return sorted("fqn:" + ".".join(MANIFEST["nodes"][node]["fqn"]) for node in self.selected | self.along)


def plan(context: dg.AssetExecutionContext, own: dg.AssetsDefinition, home: Home,
         catalogue: dg.AssetsDefinition | None) -> Plan:
    """What the run selected of `own`; with `catalogue`, what is built along (see the module), with
    the tests of what is built along."""
    ids = unique_ids(own)
    selected = {ids[key] for key in (*context.selected_asset_keys, *context.selected_asset_check_keys) if key in ids}
    models = {node for node in selected if not node.startswith("test.")}
    if catalogue is None or not models:
        return Plan(frozenset(selected), frozenset())
    nodes = {**unique_ids(catalogue), **ids}
    along = ancestors(models, within=set(ids.values())) - models
    catalogue_models = {node for key, node in unique_ids(catalogue).items() if isinstance(key, dg.AssetKey)}
    if changed(home, catalogue_models):
        along |= catalogue_models
    along |= {test for key, test in nodes.items()
              if isinstance(key, dg.AssetCheckKey) and nodes.get(key.asset_key) in along}
    return Plan(frozenset(selected), frozenset(along - selected))


RESULT_EVENTS = {"LogModelResult", "LogSeedResult", "LogSnapshotResult", "LogTestResult"}
BUILT = object()  # the end of a build that succeeded


def dbt_build(context: dg.AssetExecutionContext, own: dg.AssetsDefinition, variables: dict,
              catalogue: dg.AssetsDefinition | None = None, metadata: Mapping[str, Any] | None = None) -> Iterator:
    """One `dbt build` of what the run selected of `own` (with `catalogue`: the quarterly figures'
    build, see the module) with `variables`; yields its outputs, check results and asset events,
    the models' with `metadata` too, then fails the step if dbt failed; returns the models and seeds
    built. dbt runs in a thread of its own: each node's events are stored as soon as it is built (its
    materialization or check result is its progress in the UI)."""
    from dbt_common.events.functions import msg_to_dict

    home = Home.from_env()
    build = plan(context, own, home, catalogue)
    partitions = run_partitions(context)
    found: Queue = Queue()

    def on_event(event) -> None:  # in dbt's thread
        if event.info.name in RESULT_EVENTS:
            node = event.data.node_info
            built = node.node_status == "success" and node.resource_type in ("model", "seed")
            found.put((msg_to_dict(event), table_built(node.unique_id, partitions) if built else None))

    def run() -> None:
        try:
            run_dbt(home, "build", variables, "--select", *build.selectors(), "--indirect-selection", "empty",
                    on_event=on_event)
            found.put(BUILT)
        except Exception as e:  # the step raises it
            found.put(e)

    context.log.info(f"dbt build of {len(build.selected)} selected and {len(build.along)} more nodes "
                     f"with vars {variables} in {home.root}")
    threading.Thread(target=run, name="dbt build", daemon=True).start()
    own_keys = {node: key for key, node in unique_ids(own).items()}
    keys = {**{node: key for key, node in unique_ids(catalogue).items()}, **own_keys} if catalogue else own_keys
    done = []
    while (item := found.get()) is not BUILT and not isinstance(item, Exception):
        raw, table = item
        node = raw["data"]["node_info"]["unique_id"]
        if table:
            done.append(node)
        message = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
        for event in message.to_default_asset_events(MANIFEST, TRANSLATOR, context if node in build.selected else None,
                                                     project=KUMKM_DBT):
            yield from reported(context, event, keys.get(node), table,
                                metadata=dict(metadata or {}) if node in own_keys else {},
                                partitions=partitions if node in own_keys and own.partitions_def else [])
    remember_built(home, done)
    if isinstance(item, RefreshFailed):
        raise failed(item) from item
    if isinstance(item, Exception):
        raise item
    return done


def reported(context: dg.AssetExecutionContext, event, key: dg.AssetKey, table: Table | None,
             metadata: dict, partitions: list[str]) -> Iterator:
    """A dbt event with its table's metadata: an output's rows per partition as partition metadata;
    a partitioned model built along as one materialization per partition of the run."""
    if table is None:
        yield event
        return
    metadata = {**event.metadata, **metadata, **table.metadata}
    if isinstance(event, dg.Output):
        for partition, rows in table.rows_per_partition.items():
            context.add_asset_metadata({ROW_COUNT: rows}, asset_key=key, partition_key=partition)
        yield event.with_metadata(metadata)
    elif partitions:
        for partition in partitions:
            rows = table.rows_per_partition.get(partition)
            yield dg.AssetMaterialization(key, partition=partition, metadata=metadata if rows is None
                                          else {**metadata, ROW_COUNT: rows})
    else:
        yield event.with_metadata(metadata)
