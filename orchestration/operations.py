"""How the warehouse is run: who answers for its assets, and which failures are tried again."""
import dagster as dg

from kumkm.home import DatabaseInUse

# Dagster owners: the data team builds and runs the warehouse; each source's operators deliver its exports.
DATA_TEAM = "team:tim-data-kumkm"


def operators(source: str) -> str:
    return f"team:operator-{source}"


# DuckDB lets one process write a database file; another process holding it (a `kumkm` command,
# a BI tool opening it read-write) makes a step fail, and a later try pass.
RETRY_WHEN_LOCKED = dg.RetryPolicy(max_retries=3, delay=15, backoff=dg.Backoff.EXPONENTIAL)


def failed(error: Exception) -> Exception:
    """What a step raises for `error`: the error itself when a file lock caused it (the step's retry
    policy tries again), else a failure no retry would change (a dbt test, a refused file)."""
    if DatabaseInUse.of(error):
        return error
    return dg.Failure(str(error), allow_retries=False)
