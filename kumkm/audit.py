"""The class of each disagreement the printed-figure audit finds (marts.fct_publikasi_audit): a
printing error, or a later correction.

Both compare the printed figure with the warehouse's figure as known when the report was issued.
The mart knows that figure while no record version unknown then feeds the figure's quarter: it is
today's. Where one does, the figure then is computed here, once per report (its knowledge time: its
publication's K, or the versions extracted by its issue date), by a scratch dbt build of the quarters
it printed, and kept in the transform database (terbit.angka) for the next builds, as long as the
models and the events known then stay the same; then the mart is built again. A refresh where no
disagreeing figure needs it costs a few queries.
"""
from __future__ import annotations

from datetime import date, datetime

import duckdb

from kumkm.home import Home
from kumkm.warehouse import Progress, Quarter, dbt_vars, project_digest, run_dbt, scratch_build

ANGKA = """
create table if not exists terbit.angka (
    dokumen varchar not null,
    tabel varchar not null,
    kode varchar not null,
    tahun integer not null,
    triwulan integer not null,
    angka varchar not null,
    tanggal_terbit date not null,
    publication_id integer,        -- null: a report only typed in, known by its tanggal_terbit
    dihitung decimal(24, 6),       -- the warehouse's figure as known when the report was issued
    digest varchar not null,       -- of the models and suites it was computed with
    known_batch integer not null   -- the last batch known then
)"""

# The last batch, ingested by the build's K ($k), whose records count as known when a report was
# issued by its tanggal_terbit (a file delivered late but extracted by then changes the figures then).
# What a publication's K knew never changes: 0.
KNOWN_BATCH = """coalesce((
    select max(batches.batch_id) from events.ingest.batches as batches
    where {row}.publication_id is null and batches.status = 'ingested' and batches.kind <> 'publikasi'
        and batches.extracted_on <= {row}.tanggal_terbit and batches.finished_at <= $k), 0)"""

PRINTED = ("dokumen", "tabel", "kode", "tahun", "triwulan", "angka", "tanggal_terbit")


def same_printed_figure(left: str, right: str) -> str:
    return " and ".join([*(f"{left}.{c} = {right}.{c}" for c in PRINTED),
                         f"{left}.publication_id is not distinct from {right}.publication_id"])


# The reports with a disagreeing figure that a later record version feeds and whose figure then is not
# kept: each with its knowledge time, the quarters it printed, and the K the mart was built at.
UNKNOWN_THEN = f"""
with unknown as (
    select distinct tanggal_terbit, publication_id
    from marts.fct_publikasi_audit as audit
    where not sesuai and berubah_sejak_terbit
        and not exists (select 1 from terbit.angka as kept where {same_printed_figure('kept', 'audit')})
)
select string_agg(distinct audit.dokumen, ', '), audit.tanggal_terbit, audit.publication_id,
    any_value(audit.known_at_terbit), min(audit.tahun * 10 + audit.triwulan), max(audit.tahun * 10 + audit.triwulan)
from marts.fct_publikasi_audit as audit
inner join unknown
    on unknown.tanggal_terbit = audit.tanggal_terbit
    and unknown.publication_id is not distinct from audit.publication_id
group by audit.tanggal_terbit, audit.publication_id
order by 1, 2
"""


def classify_printed(home: Home, progress: Progress | None = None, built_with_kept: bool = True) -> None:
    """Completes the classes of the audit mart just built in the home's transform database: forgets
    the figures then kept with other models or other events known then, computes the ones missing,
    and builds the mart again if any changed, or if it was not built with the figures kept (a Spark
    build, kumkm.spark, reads none)."""
    say = progress or (lambda _: None)
    digest = project_digest()
    con = connected(home)
    try:
        [(k,)] = con.execute("select max(known_at) from marts.fct_publikasi_audit").fetchall()
        forgotten = con.execute(f"delete from terbit.angka as kept where digest <> $digest "
                                f"or known_batch <> {KNOWN_BATCH.format(row='kept')} returning 1",
                                {"digest": digest, "k": k}).fetchall()
        reports = con.execute(UNKNOWN_THEN).fetchall()
        kept = not built_with_kept and con.execute("select count(*) from terbit.angka").fetchone()[0]
    finally:
        con.close()
    if k is None:  # nothing printed
        return
    for dokumen, tanggal_terbit, publication_id, known_at_terbit, first, last in reports:
        say(f"audit: {dokumen} as known when issued "
            + (f"(publication {publication_id}, K {known_at_terbit})" if publication_id else f"({tanggal_terbit})"))
        keep_figures_then(home, k, tanggal_terbit, publication_id, known_at_terbit,
                          Quarter(first // 10, first % 10), Quarter(last // 10, last % 10), digest)
    if reports or forgotten or kept:
        # the staging view too: it reads no table where there was none when it was built
        run_dbt(home, "build", dbt_vars(k), "--select", "stg_terbit__angkas+", progress=progress)


def connected(home: Home) -> duckdb.DuckDBPyConnection:
    """The transform database with terbit.angka, the event store attached read-only as `events`."""
    con = duckdb.connect(str(home.transform_db))
    con.execute("attach $path as events (read_only)", {"path": str(home.events_db)})
    con.execute("create schema if not exists terbit")
    con.execute(ANGKA)
    return con


def keep_figures_then(home: Home, k: datetime, tanggal_terbit: date, publication_id: int | None,
                      known_at_terbit: datetime | None, first: Quarter, last: Quarter, digest: str) -> None:
    """The figures of one report's printed lines as known when it was issued, from a scratch build of
    the quarters it printed in which only the record versions known then feed the figures."""
    known_then = ({"inputs_known_at": known_at_terbit.isoformat(sep=" ")} if publication_id
                  else {"inputs_extracted_by": tanggal_terbit.isoformat()})
    with scratch_build(home, {**dbt_vars(k, first, last), **known_then}, "+fct_publikasi_audit") as scratch:
        con = connected(home)
        try:
            con.execute("attach $path as scratch (read_only)", {"path": str(scratch)})
            con.execute(f"""
                insert into terbit.angka
                select {', '.join(f'audit.{c}' for c in PRINTED)}, audit.publication_id, then_.dihitung, $digest,
                    {KNOWN_BATCH.format(row='audit')}
                from marts.fct_publikasi_audit as audit
                left join scratch.marts.fct_publikasi_audit as then_ on {same_printed_figure('then_', 'audit')}
                where audit.tanggal_terbit = $tanggal_terbit
                    and audit.publication_id is not distinct from $publication_id
            """, {"digest": digest, "k": k, "tanggal_terbit": tanggal_terbit, "publication_id": publication_id})
        finally:
            con.close()
