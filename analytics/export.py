"""CSV export of the aggregates, through the same suppressed view as every screen."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from typing import IO

from sqlalchemy.orm import Session

from analytics.views import table

COLUMNS = (
    "conversations", "messages", "fallbacks", "clarifications", "handoff_requests",
    "handoffs_queued", "handoffs_claimed", "handoffs_finished", "crisis_flags",
    "wait_p50_seconds", "wait_p90_seconds", "mean_messages", "length_p50_messages",
    "mean_duration_seconds", "ratings", "mean_rating",
)  # fmt: skip


def write_csv(
    session: Session,
    out: IO[str],
    start: dt.datetime,
    end: dt.datetime,
    period: str = "day",
    by: Sequence[str] = (),
) -> int:
    """Write the view of ``table`` as CSV (a suppressed figure is an empty field); returns
    the rows written."""
    writer = csv.writer(out)
    writer.writerow(["period", *by, "suppressed", *COLUMNS])
    rows = table(session, start, end, period, by)
    for row in rows:
        figures = ["" if row.get(name) is None else _number(row[name]) for name in COLUMNS]
        writer.writerow(
            [row["period"], *(row[name] for name in by), int(row["suppressed"]), *figures]
        )
    return len(rows)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
