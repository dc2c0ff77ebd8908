"""Publishing a quarter from Dagster: the job `publish_quarter`, run on request (not scheduled),
does what `kumkm publish` does."""
import dagster as dg

from kumkm.home import Home
from kumkm.publikasi import publish_quarter
from kumkm.warehouse import Quarter
from orchestration.checks import SERVING
from orchestration.quarters import partition_key


class Publikasi(dg.Config):
    quarter: str  # e.g. "2025Q2"
    dokumen: str | None = None  # default: Laporan Kinerja TW <n> <year>


@dg.op
def publish_served_quarter(context: dg.OpExecutionContext, config: Publikasi):
    """Records the quarter's served figures as published with their K, and serves the publication
    marts (fct_indicator_published, fct_indicator_restatement): a materialization of the quarter's
    partition of serving."""
    publication = publish_quarter(Home.from_env(), Quarter.parse(config.quarter), config.dokumen)
    context.log.info(f"published {publication.quarter} in {publication.dokumen!r} as known at "
                     f"{publication.known_at.isoformat(sep=' ')} UTC")
    yield dg.AssetMaterialization(asset_key=SERVING, partition=partition_key(publication.quarter), metadata={
        "publication_id": publication.publication_id, "dokumen": publication.dokumen,
        "quarter": str(publication.quarter), "known_at": publication.known_at.isoformat(sep=" ")})
    yield dg.Output(None)


@dg.job(name="publish_quarter", description="Publish a served quarter (config: quarter, dokumen), as `kumkm publish` does.")
def publish_quarter_job():
    publish_served_quarter()
