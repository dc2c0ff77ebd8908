"""Dagster's instance of a warehouse home lives in KUMKM_HOME/dagster, never in ~/.dagster.

`python -m orchestration.instance` creates it when missing and prints the folder to use as
DAGSTER_HOME.

Its storage is Dagster's SQLite storage, the same files in the same folders, with the event log
kept open: Dagster opens, commits and closes a SQLite database for each event it stores (three or
four times for an asset or check event), and closing the last connection to a database in
write-ahead-log mode checkpoints it to disk, so a run's 300 to 500 events cost seconds of disk
syncs. Here each process keeps its connections to the index and the latest run databases open, and
a commit waits for the disk only when the log is checkpointed (synchronous=NORMAL: a power cut can
lose the last events stored, never corrupt a database).
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import yaml
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorageWatchdog
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from watchdog.observers import Observer

from kumkm.home import Home

DAGSTER_YAML = """\
# Dagster's instance of this warehouse home. Storage: Dagster's SQLite files in this folder, its event
# log kept open by each process (orchestration/instance.py).
instance_class:
  module: orchestration.instance
  class: HomeInstance
# One run at a time: DuckDB lets one process write the event store or the transform database.
concurrency:
  runs:
    max_concurrent_runs: 1
# The warehouse holds the department's data: no usage statistics leave the machine.
telemetry:
  enabled: false
# No "Join the Dagster community" pop-up on a fresh UI.
nux:
  enabled: false
"""

OPEN_SHARDS = 4  # databases a process keeps open: the index and the runs it last stored or read


def commit_without_sync(connection, _record) -> None:
    """Safe in write-ahead-log mode, in which Dagster creates every database."""
    connection.execute("PRAGMA synchronous=NORMAL")


class HomeEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log (an index database and one per run), each database's connection kept
    open by the process that stores or reads it."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables: set[str] = set()
        super().__init__(base_dir, inst_data)

    def _engine(self, shard: str) -> Engine:
        """The shard's engine, created (and its database with it) on first use; the one least
        recently used closed beyond OPEN_SHARDS. Called holding self._db_lock."""
        if shard in self._engines:
            self._engines.move_to_end(shard)
            return self._engines[shard]
        engine = create_engine(self.conn_string_for_shard(shard), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", commit_without_sync)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_SHARDS:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
            yield conn

    def has_table(self, table_name: str) -> bool:
        """Whether the index has the table (a migration adds tables, none removes one): Dagster asks
        for each asset event it stores."""
        if table_name not in self._tables and super().has_table(table_name):
            self._tables.add(table_name)
        return table_name in self._tables

    def _close_all(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def watch(self, run_id: str, cursor: str | None, callback) -> None:
        """As Dagster's, also when the run's write-ahead log is written: a run's events reach its
        database file only when the log is checkpointed."""
        if not self._obs:
            self._obs = Observer()
            self._obs.start()
        watchdog = RunLogWatchdog(self, run_id, callback, cursor)
        self._watchers[run_id][callback] = (watchdog, self._obs.schedule(watchdog, self._base_dir, recursive=True))

    def wipe(self) -> None:
        self._close_all()
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        self._close_all()


class RunLogWatchdog(SqliteEventLogStorageWatchdog):
    """Reads a run's new events when its database or its write-ahead log is written."""

    @property
    def patterns(self) -> list[str]:
        return [self._log_path, self._log_path + "-wal"]

    def on_modified(self, event) -> None:
        self._process_log()


class HomeSqliteStorage(DagsterSqliteStorage):
    """Dagster's SQLite storage of a folder (runs, schedules, event log) with the event log kept open."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(base_dir, inst_data)
        self._event_log_storage = HomeEventLogStorage(self._event_log_storage._base_dir)

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value: Mapping) -> HomeSqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)


class HomeInstance(dg.DagsterInstance):
    """A home's Dagster instance: Dagster's own, whose storage unless dagster.yaml names one is
    HomeSqliteStorage in the instance's folder."""

    @classmethod
    def config_schema(cls) -> dict:
        return {}  # nothing of its own in dagster.yaml

    @staticmethod
    def config_defaults(base_dir: str) -> Mapping[str, ConfigurableClassData | None]:
        return {**InstanceRef.config_defaults(base_dir),
                "storage": ConfigurableClassData(__name__, HomeSqliteStorage.__name__,
                                                 yaml.dump({"base_dir": base_dir}, default_flow_style=False))}


def dagster_home(home: Home) -> Path:
    folder = home.root / "dagster"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return folder


if __name__ == "__main__":
    print(dagster_home(Home.from_env()))
