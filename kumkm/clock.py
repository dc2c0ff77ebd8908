"""The warehouse's clock: naive UTC, as the event store, the knowledge time K and the quality
results hold time."""
from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
