"""`kumkm`: the command line over the same code paths Dagster runs (docs/contracts/cli.md)."""
from __future__ import annotations

import csv
import io
import json
import logging
import sys
from contextlib import contextmanager
from pathlib import Path

import click
import duckdb
from tabulate import tabulate

from ingestion.contract import SOURCES
from ingestion.ingest import FileResult, ingest
from kumkm.home import Home
from kumkm.masking import mask_cell

FORMATS = click.Choice(["table", "csv", "json"])


@click.group()
def main() -> None:
    """Performance warehouse of the Dinas Koperasi dan UKM Kota Bekasi. Home: $KUMKM_HOME (default .kumkm)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)


def print_results(results: list[FileResult]) -> None:
    rows = [[r.path.name, r.status.replace("_", " "), r.rows_read, r.rows_added, r.rows_known, r.rows_rejected]
            for r in results]
    click.echo(tabulate(rows, headers=["file", "status", "read", "added", "known", "rejected"],
                        intfmt=",", tablefmt="simple"))
    for r in results:
        if r.events_omitted:
            click.echo(f"{r.path.name}: {r.events_omitted} sub-activities left out of the re-delivered "
                       "version get pagu 0")
        if r.status == "already_ingested":
            click.echo(f"{r.path.name}: already ingested ({r.reason})")
    refused = [r for r in results if r.status == "refused"]
    for r in refused:
        click.echo(f"REFUSED {r.path}: {r.reason}", err=True)
    total_rejected = sum(r.rows_rejected for r in results)
    if total_rejected:
        click.echo(f"{total_rejected:,} rejected rows are quarantined: see `kumkm rejects`")


@contextmanager
def store_in_use():
    """DuckDB allows one writing process: say so plainly when another one holds the file."""
    try:
        yield
    except duckdb.IOException as e:
        raise click.ClickException(f"the warehouse is in use by another process: {e}") from None


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", type=click.Choice(SOURCES), help="Source of the files (default: their folder's name).")
@click.option("--reread", is_flag=True, help="Read files again even when their bytes were ingested before.")
def ingest_command(paths: tuple[Path, ...], source: str | None, reread: bool) -> None:
    """Ingest export files, or folders of them, into the event store."""
    with store_in_use():
        results = ingest(list(paths), Home.from_env().events_db, source=source, reread=reread,
                         progress=sys.stderr.isatty())
    print_results(results)
    if any(r.status == "refused" for r in results):
        sys.exit(1)


REJECT_COLUMNS = ["source_file", "row_number", "column_name", "raw_value", "reason", "batch_id"]


@main.command("rejects")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--file", "file_name", help="Only the rows of this file name.")
def rejects_command(fmt: str, file_name: str | None) -> None:
    """Quarantined rows: file, row (header = row 1), column, raw value, reason."""
    db = Home.from_env().events_db
    if not db.exists():
        raise click.ClickException(f"no event store at {db}: ingest something first")
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            f"select {', '.join(REJECT_COLUMNS)} from ingest.quarantine "
            "where $file is null or source_file = $file order by batch_id, row_number, column_name",
            {"file": file_name}).fetchall()
    finally:
        con.close()
    records = [dict(zip(REJECT_COLUMNS, r)) for r in rows]
    for r in records:
        r["raw_value"] = mask_cell(r["column_name"], r["raw_value"])
    click.echo(render(records, REJECT_COLUMNS, fmt))


def render(records: list[dict], columns: list[str], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(records, indent=2, default=str)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return out.getvalue().rstrip("\n")
    return tabulate([[r[c] for c in columns] for r in records], headers=columns, tablefmt="simple")


@main.command("demo")
def demo_command() -> None:
    """Write the bundled sample exports into the landing folder and ingest them."""
    from kumkm.sample_data import write_sample_exports

    home = Home.from_env()
    write_sample_exports(home.landing)
    with store_in_use():
        results = ingest([home.landing], home.events_db, progress=sys.stderr.isatty())
    print_results(results)
    click.echo(f"event store: {home.events_db}")
    if any(r.status == "refused" for r in results):
        sys.exit(1)
