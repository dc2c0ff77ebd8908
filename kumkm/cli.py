"""`kumkm`: the command line over the same code paths Dagster runs (docs/contracts/cli.md)."""
from __future__ import annotations

import atexit
import io
import json
import logging
import multiprocessing.util
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import click
import duckdb
from tabulate import tabulate

from expectations.runner import blocking_message, validate_batches
from ingestion.contract import SOURCES
from ingestion.ingest import FileResult, ingest
from ingestion.store import NotRetractable, OlderStore, retract
from kumkm.clock import utc_now
from kumkm.csv_out import write_csv
from kumkm.explain import RECORD_COLUMNS, Explanation, explain, total
from kumkm.home import DatabaseInUse, Home
from kumkm.masking import mask_cell, scrubbed, unexpected
from kumkm.report import (AUDIT_COLUMNS, AUDIT_FIGURES, BUDGET_COLUMNS, INDICATOR_COLUMNS, audit_table,
                          audited_documents, budget_table, indicator_table, served_known_at, served_quarter)
from kumkm.refresh import NothingNew, refresh
from kumkm.warehouse import NotKnownYet, Quarter, RefreshFailed, built_as_known_at

FORMATS = click.Choice(["table", "csv", "json"])
REPORT_TABLES = {"indicators": (indicator_table, INDICATOR_COLUMNS), "budget": (budget_table, BUDGET_COLUMNS)}


class QuarterParam(click.ParamType):
    name = "quarter"

    def convert(self, value, param, ctx):
        try:
            return value if isinstance(value, Quarter) else Quarter.parse(value)
        except ValueError as e:
            self.fail(str(e), param, ctx)


class KnowledgeTimeParam(click.ParamType):
    """A knowledge time K as `kumkm publish` prints it (UTC), e.g. 2026-01-31 10:15:02.123456;
    a time with an offset is converted to UTC."""
    name = "timestamp"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            self.fail(f"{value!r} is not a time like 2026-01-31 10:15:02 (UTC)", param, ctx)
        return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


class Kumkm(click.Group):
    """No traceback reaches the user: a database another process holds, and an error no rule foresaw,
    end the command in one line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (DatabaseInUse, OlderStore) as e:
            raise click.ClickException(str(e)) from None
        except Exception as e:
            raise click.ClickException(str(DatabaseInUse.of(e) or unexpected(e))) from None


@click.group(cls=Kumkm)
@click.version_option(package_name="kumkm", prog_name="kumkm")
@click.option("-v", "--verbose", is_flag=True, help="Also say what each step is doing (e.g. every file read).")
def main(verbose: bool) -> None:
    """Performance warehouse of the Dinas Koperasi dan UKM Kota Bekasi. Home: $KUMKM_HOME (default .kumkm)."""
    logging.basicConfig(format="%(message)s", stream=sys.stderr)
    logging.getLogger().setLevel(logging.INFO if verbose else logging.WARNING)


def print_results(results: list[FileResult]) -> None:
    for r in results:
        if r.status == "skipped":
            click.echo(f"SKIPPED {r.path}: {r.reason}", err=True)
    results = [r for r in results if r.status != "skipped"]
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


def ingest_checked(home: Home, paths: list[Path], source: str | None = None, reread: bool = False) -> None:
    """Ingests, then validates the batches just ingested with the raw suites (quality/index.html);
    exits non-zero when a file was refused or a blocking expectation failed (the events stay stored,
    and no refresh publishes until they pass)."""
    results = ingest(paths, home.events_db, source=source, reread=reread, progress=sys.stderr.isatty())
    print_results(results)
    ingested = [r.batch_id for r in results if r.status == "ingested"]
    outcomes = validate_batches(home, ingested) if ingested else []
    failed = [o for o in outcomes if o.blocks]
    if outcomes and not failed:
        warned = sum(not o.success for o in outcomes)
        click.echo(f"quality: {len(outcomes)} expectations on {len(ingested)} new batch(es) hold"
                   + (f", {warned} warning(s)" if warned else ""))
    if failed:
        click.echo(f"quality: {blocking_message(failed, home)}", err=True)
    if failed or any(r.status == "refused" for r in results):
        sys.exit(1)


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", type=click.Choice(SOURCES), help="Source of the files (default: their folder's name).")
@click.option("--reread", is_flag=True, help="Read files again even when their bytes were ingested before.")
def ingest_command(paths: tuple[Path, ...], source: str | None, reread: bool) -> None:
    """Ingest export files, or folders of them, into the event store, and validate what was added."""
    ingest_checked(Home.from_env(), list(paths), source, reread)


REJECT_COLUMNS = ["source_file", "row_number", "column_name", "raw_value", "reason", "batch_id"]
# A retracted batch is one line of its own: the file set aside whole, with the retraction's time and reason.
RETRACTED = """
    select file_name, null, null, null,
        'batch retracted at ' || strftime(retracted_at, '%Y-%m-%d %H:%M:%S') || ' UTC: ' || retraction_reason, batch_id
    from ingest.batches_with_retractions
    where retracted_at is not null and ($file is null or file_name = $file)"""


def events_db(home: Home) -> Path:
    if not home.events_db.exists():
        raise click.ClickException(f"no event store at {home.events_db}: ingest something first")
    return home.events_db


@main.command("rejects")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--file", "file_name", help="Only the rows of this file name.")
def rejects_command(fmt: str, file_name: str | None) -> None:
    """Quarantined rows: file, row (header = row 1), column, raw value, reason; and retracted batches."""
    con = duckdb.connect(str(events_db(Home.from_env())), read_only=True)
    try:
        rows = con.execute(f"select {', '.join(REJECT_COLUMNS)} from ingest.quarantine "
                           "where $file is null or source_file = $file", {"file": file_name}).fetchall()
        try:
            rows += con.execute(RETRACTED, {"file": file_name}).fetchall()
        except duckdb.CatalogException:  # an event store from before retractions
            pass
    finally:
        con.close()
    rows.sort(key=lambda r: (r[5], r[1] or 0, r[2] or ""))  # by batch, its retraction first, then row and column
    records = [dict(zip(REJECT_COLUMNS, r)) for r in rows]
    for r in records:  # a raw value is shown masked, cut short, and shaped NIKs and phone numbers hidden
        r["raw_value"] = r["raw_value"] and scrubbed(mask_cell(r["column_name"], r["raw_value"]))
    click.echo(render(records, REJECT_COLUMNS, fmt))


@main.command("retract")
@click.option("--batch", "batch_id", type=int, required=True, help="The batch (ingest.batches, `kumkm rejects`).")
@click.option("--reason", required=True, help="Why, in words; kept with the retraction.")
def retract_command(batch_id: int, reason: str) -> None:
    """Retract a bad batch: its events stay stored, and count in no figure as known from now on."""
    home = Home.from_env()
    try:
        batch = retract(events_db(home), batch_id, reason, utc_now())
    except NotRetractable as e:
        raise click.ClickException(str(e)) from None
    events = batch["rows_added"] + (batch["events_omitted"] or 0)
    click.echo(f"retracted batch {batch_id} ({batch['source']}/{batch['kind']} {batch['file_name']}, {events:,} "
               f"event{'s' if events != 1 else ''}) at {batch['retracted_at']:%Y-%m-%d %H:%M:%S} UTC: {batch['retraction_reason']}")
    click.echo("figures as known from now on leave its events out: `kumkm refresh --all` publishes them")


def render(records: list[dict], columns: list[str], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(records, indent=2, default=str)
    if fmt == "csv":
        out = io.StringIO()
        write_csv(out, columns, ([r.get(c) for c in columns] for r in records))
        return out.getvalue().rstrip("\n")
    return tabulate([[r[c] for c in columns] for r in records], headers=columns, tablefmt="simple")


def json_text(value: object, indent: str = "") -> str:
    """JSON in which a Decimal is the number it is, its decimals kept (0.1, 97.70, 12545556074.00):
    the json module would write it as a string or through a float."""
    inner = indent + "  "
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict) and value:
        items = (f"{inner}{json.dumps(k)}: {json_text(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + json_text(v, inner) for v in value) + f"\n{indent}]"
    return json.dumps(value, default=str)


def indicators_as_text(rows: list[dict]) -> str:
    """Each indicator's figures with its own decimals, as read (tabulate would reformat numbers)."""
    numbers = {"target", "realisasi", "capaian_pct"}
    return tabulate([[r[c] for c in INDICATOR_COLUMNS] for r in rows], headers=INDICATOR_COLUMNS, missingval="-",
                    disable_numparse=True, colalign=["right" if c in numbers else "left" for c in INDICATOR_COLUMNS])


def render_report(quarter: Quarter, tables: dict[str, list[dict]], fmt: str,
                  known_at: datetime | None = None) -> str:
    if fmt == "json":
        return json_text({"quarter": str(quarter), "known_at": known_at and str(known_at), **tables})
    if fmt == "csv":
        [(name, rows)] = tables.items()  # one table per stream
        return render(rows, REPORT_TABLES[name][1], "csv")
    shown = []
    if "indicators" in tables:
        shown.append(f"Indicators s/d triwulan {quarter.triwulan} {quarter.tahun}\n"
                     + indicators_as_text(tables["indicators"]))
    if "budget" in tables:
        shown.append(f"Budget per program s/d triwulan {quarter.triwulan} {quarter.tahun}\n"
                     + tabulate([[r[c] for c in BUDGET_COLUMNS] for r in tables["budget"]], headers=BUDGET_COLUMNS,
                                floatfmt=",.2f", missingval="-"))
    return "\n\n".join(shown)


def print_report(home: Home, quarter: Quarter | None, fmt: str, table: str | None = None,
                 out: Path | None = None) -> None:
    try:
        quarter = served_quarter(serving_db(home), quarter)
    except LookupError as e:
        raise click.ClickException(str(e)) from None
    if fmt == "html":
        from kumkm.laporan import write_report  # Altair and the Vega-Lite renderer load only for html

        try:
            path = write_report(home, quarter, out)
        except LookupError as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"laporan kinerja {quarter}: {path}")
        return
    tables = {name: REPORT_TABLES[name][0](home.serving_db, quarter) for name in report_tables(fmt, table)}
    emit(render_report(quarter, tables, fmt, served_known_at(home.serving_db, quarter)), out)
    if fmt == "table" and out is None:
        print_restatements(home, quarter)


def report_tables(fmt: str, table: str | None) -> list[str]:
    return [table] if table else ["indicators"] if fmt == "csv" else list(REPORT_TABLES)


def emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    click.echo(f"written: {out}")


def print_restatements(home: Home, quarter: Quarter) -> None:
    """A published quarter's figures that changed since, one line each, with their cause."""
    from kumkm.publikasi import restatement_line, restatements

    for row in restatements(home.serving_db, quarter):
        click.echo(restatement_line(row))


def on_terminal(line: str) -> None:
    click.echo(line, err=True)


@contextmanager
def ended_at_once_by_ctrl_c(message: str) -> Iterator[None]:
    """Ctrl-C ends the process at once, after one line, and dbt (which runs in it) with it: dbt would
    try to cancel its queries and print its own traceback. DuckDB's files and the serving swap stay
    consistent, as under SIGKILL."""
    def end(signum, frame) -> None:
        click.echo(f"Error: {message}", err=True)
        multiprocessing.util._run_finalizers(0)  # dbt's semaphores, which the resource tracker would report leaked
        os._exit(130)

    previous = signal.signal(signal.SIGINT, end)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_refresh(home: Home, quarter: Quarter | None, engine: str = "local") -> None:
    try:
        with ended_at_once_by_ctrl_c("refresh interrupted; the serving database keeps the last state published"):
            k = refresh(home, quarter, quarter, progress=on_terminal if sys.stderr.isatty() else None, engine=engine)
    except NothingNew as e:
        click.echo(f"{e}: the serving database {home.serving_db} already holds "
                   f"{quarter or 'every quarter with data'}")
        return
    except RefreshFailed as e:
        kept = " The serving database keeps its previous state." if home.serving_db.exists() else ""
        raise click.ClickException(f"{e}.{kept}") from None
    click.echo(f"refreshed {quarter or 'every quarter with data'} as known at {k:%Y-%m-%d %H:%M:%S} UTC; "
               f"serving database: {home.serving_db}")


@main.command("refresh")
@click.option("--quarter", type=QuarterParam(), help="The quarter to build, e.g. 2025Q4.")
@click.option("--all", "all_quarters", is_flag=True, help="Build every quarter that has data.")
@click.option("--target", "engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="dbt's target: local (DuckDB) or spark (Apache Spark, from the event store exported as Parquet).")
def refresh_command(quarter: Quarter | None, all_quarters: bool, engine: str) -> None:
    """Build the warehouse (dbt), run its tests, publish the serving database."""
    if bool(quarter) == all_quarters:
        raise click.UsageError("give either --quarter YYYYQn or --all")
    run_refresh(Home.from_env(), quarter, engine)


@main.command("report")
@click.option("--quarter", type=QuarterParam(), help="e.g. 2025Q4 (default: the latest quarter served).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True)
@click.option("--table", type=click.Choice(list(REPORT_TABLES)),
              help="Only this table (csv writes one table: indicators unless budget is asked for).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (html default: $KUMKM_HOME/reports/laporan_kinerja_<quarter>.html).")
@click.option("--as-known-at", "known_at", type=KnowledgeTimeParam(),
              help="Recompute the quarter from the events known at this time (UTC), e.g. a publication's K.")
def report_command(quarter: Quarter | None, fmt: str, table: str | None, out: Path | None,
                   known_at: datetime | None) -> None:
    """The quarter's indicator and budget tables; html: the quarterly performance report (laporan kinerja)."""
    if fmt == "html" and table:
        raise click.UsageError("--table picks a table of table, csv or json; the html report holds them all")
    if known_at is None:
        print_report(Home.from_env(), quarter, fmt, table, out)
    elif quarter is None or fmt == "html":
        raise click.UsageError("--as-known-at needs --quarter YYYYQn and gives table, csv or json")
    else:
        print_report_as_known_at(Home.from_env(), quarter, known_at, fmt, table, out)


def print_report_as_known_at(home: Home, quarter: Quarter, known_at: datetime, fmt: str, table: str | None,
                             out: Path | None) -> None:
    """The quarter rebuilt from the events known at K in a scratch database; the serving one stays."""
    try:
        with built_as_known_at(home, quarter, known_at) as rebuilt:
            tables = {name: REPORT_TABLES[name][0](rebuilt, quarter) for name in report_tables(fmt, table)}
            found = indicator_table(rebuilt, quarter)
    except (NotKnownYet, RefreshFailed) as e:
        raise click.ClickException(str(e)) from None
    if not found:
        raise click.ClickException(f"no figures of {quarter} as known at {known_at:%Y-%m-%d %H:%M:%S} UTC: "
                                   "the events known then hold no data of it")
    emit(render_report(quarter, tables, fmt, known_at), out)


@main.command("explain")
@click.argument("kode")
@click.option("--quarter", type=QuarterParam(), required=True, help="e.g. 2025Q4.")
@click.option("--as-known-at", "known_at", type=KnowledgeTimeParam(),
              help="Explain the figure as known at this time (UTC), e.g. a publication's K.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def explain_command(kode: str, quarter: Quarter, known_at: datetime | None, fmt: str) -> None:
    """An indicator's numerator and denominator (a budget line's pagu murni, pagu and realisasi) down
    to the records counted, each with the file row its winning version came from."""
    home = Home.from_env()
    if known_at is None:
        try:
            known_at = served_known_at(serving_db(home), served_quarter(home.serving_db, quarter))
        except LookupError as e:
            raise click.ClickException(str(e)) from None
    try:
        explained = explain(home, kode, quarter, known_at, rebuilding=lambda: click.echo(
            f"building the records of {quarter} as known at {known_at:%Y-%m-%d %H:%M:%S} UTC", err=True))
    except (LookupError, NotKnownYet, RefreshFailed) as e:
        raise click.ClickException(str(e)) from None
    click.echo(render_explanation(explained, fmt))


def render_explanation(explained: Explanation, fmt: str) -> str:
    if fmt == "csv":
        return render([{"bagian": part, **record} for part, records in explained.parts.items() for record in records],
                      ["bagian", *RECORD_COLUMNS], "csv")
    parts = {part: {"total": total(records), "records": records} for part, records in explained.parts.items()}
    if fmt == "json":
        return json_text({"kode": explained.kode, "nama": explained.nama, "quarter": str(explained.quarter),
                          "known_at": str(explained.known_at), "figure": explained.figure, **parts})
    figure = ", ".join(f"{name} {'-' if value is None else value}" for name, value in explained.figure.items())
    shown = [f"{explained.kode} {explained.nama}, s/d triwulan {explained.quarter.triwulan} "
             f"{explained.quarter.tahun}, as known at {explained.known_at:%Y-%m-%d %H:%M:%S} UTC\n{figure}"]
    for part, records in parts.items():
        n = len(records["records"])
        shown.append(f"{part}: {records['total']:,f} from {n:,} record{'' if n == 1 else 's'}\n" + tabulate(
            [[r[c] for c in RECORD_COLUMNS] for r in records["records"]], headers=RECORD_COLUMNS,
            disable_numparse=True, missingval="-"))
    return "\n\n".join(shown)


def serving_db(home: Home) -> Path:
    if not home.serving_db.exists():
        raise click.ClickException(f"no serving database at {home.serving_db}: run `kumkm refresh --all`")
    return home.serving_db


def print_audit(home: Home, dokumen: str | None, everything: bool, fmt: str) -> None:
    if dokumen is not None:
        known = audited_documents(serving_db(home))
        if dokumen not in known:
            raise click.ClickException(f"no published document {dokumen!r} in the warehouse; known: "
                                       + (", ".join(repr(d) for d in known) or "none (ingest manual/publikasi)"))
    try:
        rows = audit_table(serving_db(home), dokumen, everything)
    except LookupError as e:
        raise click.ClickException(str(e)) from None
    if fmt != "table":
        click.echo(render(rows, AUDIT_COLUMNS + ["sesuai"], fmt))
        return
    wrong = [r for r in rows if not r["sesuai"]]
    click.echo(f"Published figures that disagree with the warehouse: {len(wrong)}" if not everything
               else f"Published figures: {len(rows)}, of which {len(wrong)} disagree with the warehouse")
    if rows:
        shown = [{**r, **{c: r[c] and f"{Decimal(r[c]):,f}" for c in AUDIT_FIGURES}} for r in rows]
        click.echo(tabulate([[r[c] for c in AUDIT_COLUMNS] + ([r["sesuai"]] if everything else []) for r in shown],
                            headers=AUDIT_COLUMNS + (["sesuai"] if everything else []), missingval="-",
                            disable_numparse=True))


@main.command("audit")
@click.option("--dokumen", help="Only this report, e.g. 'LKIP 2025'.")
@click.option("--all", "everything", is_flag=True, help="Every printed figure, not only those that disagree.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def audit_command(dokumen: str | None, everything: bool, fmt: str) -> None:
    """Figures the department published (manual/publikasi) that disagree with the warehouse's own."""
    print_audit(Home.from_env(), dokumen, everything, fmt)


@main.command("publish")
@click.option("--quarter", type=QuarterParam(), required=True, help="The quarter to publish, e.g. 2025Q2.")
@click.option("--dokumen", help="The document it is published in (default: Laporan Kinerja TW <n> <year>).")
def publish_command(quarter: Quarter, dokumen: str | None) -> None:
    """Record the quarter's served figures as published, with their knowledge time K."""
    from kumkm.publikasi import NotPublishable, publish_quarter

    home = Home.from_env()
    try:
        publication = publish_quarter(home, quarter, dokumen)
    except (NotPublishable, RefreshFailed) as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"published {quarter} in {publication.dokumen!r} (publication {publication.publication_id}) "
               f"as known at {publication.known_at.isoformat(sep=' ')} UTC; "
               f"`kumkm report --quarter {quarter} --as-known-at '{publication.known_at.isoformat(sep=' ')}'` "
               "gives these figures")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True)
@click.option("--to", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write to (default: $KUMKM_HOME/export).")
def export_command(fmt: str, folder: Path | None) -> None:
    """Write every mart as Parquet (plus views.duckdb, views over them) or as CSV."""
    from kumkm.export import export

    home = Home.from_env()
    for path in export(serving_db(home), folder or home.root / "export", fmt):
        click.echo(path)


@main.command("export-events")
@click.option("--to", "folder", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder of the Parquet event store (made if missing).")
def export_events_command(folder: Path) -> None:
    """Write the event store as Parquet (<source>/<kind>/batch_id=<n>/data.parquet and the batch registry
    ingest/batches/ and ingest/retractions/), for Spark and other engines; again, only the batches added since."""
    from ingestion.parquet import REGISTRY, OtherStore, export_events

    try:
        written = export_events(events_db(Home.from_env()), folder)
    except OtherStore as e:
        raise click.ClickException(str(e)) from None
    click.echo(tabulate([[w.table, w.batches, w.rows] for w in written], headers=["events", "new batches", "rows"],
                        intfmt=",", tablefmt="simple"))
    click.echo(f"batch registry: {folder / REGISTRY}")


@main.command("serving-path")
def serving_path_command() -> None:
    """Print the serving DuckDB file's path (what BI tools open, read-only)."""
    click.echo(Home.from_env().serving_db)


@main.command("demo")
def demo_command() -> None:
    """Land the bundled sample exports, ingest them, refresh every quarter, print the latest one, write
    its HTML report, and print the errors of the LKIP 2025 as printed."""
    from kumkm.sample_data import write_sample_exports

    home = Home.from_env()
    write_sample_exports(home.landing)
    ingest_checked(home, [home.landing])
    run_refresh(home, None)
    print_report(home, None, "table")
    print_report(home, None, "html")
    click.echo("")
    print_audit(home, None, False, "table")


def run() -> None:
    """The `kumkm` console script: main() in a process that ends with the command. A refresh loads
    dbt, which makes millions of long-lived objects (the collector is paused while dbt runs:
    warehouse.collector_paused); the process ends without the interpreter's last collection over
    them (about a second): the exit handlers (logging's, multiprocessing's) run, the output is
    flushed, the process exits."""
    try:
        main()
    except SystemExit as done:
        if not isinstance(done.code, (int, type(None))):
            raise
        code = done.code or 0
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
