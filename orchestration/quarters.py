"""Quarters (triwulan) as Dagster partitions, keyed by their first day: 2025Q4 is "2025-10-01"."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import dagster as dg

from kumkm.warehouse import Quarter

JAKARTA = ZoneInfo("Asia/Jakarta")

# Dagster has no quarterly partitions class. The first partition is the first quarter the data
# holds (the sample's records start in 2021Q1). end_offset=1 makes the quarter in progress a
# partition too: exports land during a quarter, and its figures to date are built like `kumkm
# refresh` does.
QUARTERS = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1,4,7,10 *", start="2021-01-01", fmt="%Y-%m-%d", timezone="Asia/Jakarta",
    end_offset=1,
)


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def previous(quarter: Quarter) -> Quarter:
    if quarter.triwulan == 1:
        return Quarter(quarter.tahun - 1, 4)
    return Quarter(quarter.tahun, quarter.triwulan - 1)


def partition_key(quarter: Quarter) -> str:
    return date(quarter.tahun, 3 * quarter.triwulan - 2, 1).isoformat()


def quarters_of(window: dg.TimeWindow) -> tuple[Quarter, Quarter]:
    """The first and last quarter of a partition's time window (one quarter, or a backfill's range)."""
    return quarter_of(window.start.date()), quarter_of((window.end - timedelta(days=1)).date())


def next_quarter(quarter: Quarter) -> Quarter:
    if quarter.triwulan == 4:
        return Quarter(quarter.tahun + 1, 1)
    return Quarter(quarter.tahun, quarter.triwulan + 1)


def closed_at(quarter: Quarter) -> datetime:
    """When the quarter ends: midnight in Jakarta as the next one starts."""
    following = next_quarter(quarter)
    return datetime(following.tahun, 3 * following.triwulan - 2, 1, tzinfo=JAKARTA)


def quarter_ended_before(moment: datetime) -> Quarter:
    """The quarter that ended before `moment`, a day in Jakarta."""
    return previous(quarter_of(moment.astimezone(JAKARTA).date()))


def quarters_from(day: date, last_key: str) -> dg.PartitionKeyRange | None:
    """The partitions an event valid on `day` changes. Every figure is an as-of replay over the
    events valid on or before its quarter end, so it is the quarter of `day` and every later one,
    clipped to the partitions that exist (2021Q1 up to `last_key`); None when none of them exists."""
    first_key = max(partition_key(quarter_of(day)), QUARTERS.get_first_partition_key())
    return dg.PartitionKeyRange(first_key, last_key) if first_key <= last_key else None
