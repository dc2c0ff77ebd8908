"""`kumkm export`: the serving marts as files for BI tools that cannot open the DuckDB file."""
from __future__ import annotations

from pathlib import Path

import duckdb

from kumkm.warehouse import SERVING_STORAGE_VERSION

VIEWS_DB = "views.duckdb"


def export(serving_db: Path, folder: Path, fmt: str) -> list[Path]:
    """One file per mart (`<mart>.parquet` or `<mart>.csv`); for parquet also views.duckdb, a DuckDB
    file whose schema marts holds a view over each Parquet file. Returns the files written."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'marts' order by 1").fetchall()]
        options = "(format parquet)" if fmt == "parquet" else "(format csv, header true)"
        written = []
        for table in tables:
            path = folder / f"{table}.{fmt}"
            con.execute(f"copy marts.{table} to '{path}' {options}")
            written.append(path)
    finally:
        con.close()
    if fmt == "parquet":
        written.append(views_over(folder, written))
    return written


def views_over(folder: Path, parquet_files: list[Path]) -> Path:
    """A small DuckDB file (opened by every DuckDB 1.x too) of views over the Parquet files, by
    their absolute paths: it works from any folder, as long as the files stay where they are."""
    views = folder / VIEWS_DB
    views.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{views}' as views (storage_version '{SERVING_STORAGE_VERSION}')")
        con.execute("create schema views.marts")
        for path in parquet_files:
            con.execute(f"create view views.marts.{path.stem} as select * from read_parquet('{path}')")
    finally:
        con.close()
    return views
