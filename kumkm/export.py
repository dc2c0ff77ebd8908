"""`kumkm export`: the serving marts as files for BI tools that cannot open the DuckDB file."""
from __future__ import annotations

from itertools import chain
from pathlib import Path

import duckdb

from ingestion.readers import sql_literal
from kumkm.csv_out import write_csv
from kumkm.warehouse import SERVING_STORAGE_VERSION

VIEWS_DB = "views.duckdb"
ROWS_PER_FETCH = 10_000


def export(serving_db: Path, folder: Path, fmt: str) -> list[Path]:
    """One file per mart (`<mart>.parquet` or `<mart>.csv`); for parquet also views.duckdb, a DuckDB
    file whose schema marts holds a view over each Parquet file. Returns the files written."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'marts' order by 1").fetchall()]
        written = []
        for table in tables:
            path = folder / f"{table}.{fmt}"
            if fmt == "parquet":
                con.execute(f"copy marts.{table} to $path (format parquet)", {"path": str(path)})
            else:
                csv_of(con, table, path)
            written.append(path)
    finally:
        con.close()
    if fmt == "parquet":
        written.append(views_over(folder, written))
    return written


def csv_of(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    """The mart as CSV through kumkm's one CSV writer, which neutralises formula-like text."""
    types = con.execute("select column_name, data_type from information_schema.columns where table_schema = 'marts' "
                        "and table_name = ? order by ordinal_position", [table]).fetchall()
    cursor = con.execute(f"select {', '.join(as_written(c, t) for c, t in types)} from marts.{table}")
    batches = iter(lambda: cursor.fetchmany(ROWS_PER_FETCH), [])  # until fetchmany gives no row
    with path.open("w", newline="", encoding="utf-8") as out:
        write_csv(out, [d[0] for d in cursor.description], chain.from_iterable(batches))


NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")


def as_written(column: str, data_type: str) -> str:
    """A number as it is; anything else in DuckDB's own text (true, 2025-12-31, a list as [a, b])."""
    quoted = '"' + column.replace('"', '""') + '"'
    return quoted if data_type.startswith(NUMBER_TYPES) else f"cast({quoted} as varchar) as {quoted}"


def views_over(folder: Path, parquet_files: list[Path]) -> Path:
    """A small DuckDB file (opened by every DuckDB 1.x too) of views over the Parquet files, by
    their absolute paths: it works from any folder, as long as the files stay where they are."""
    views = folder / VIEWS_DB
    views.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach $path as views (storage_version '{SERVING_STORAGE_VERSION}')", {"path": str(views)})
        con.execute("create schema views.marts")
        for path in parquet_files:
            con.execute(f"create view views.marts.{path.stem} as select * from read_parquet({sql_literal(str(path))})")
    finally:
        con.close()
    return views
