"""Reading the aggregates: totals per period and dimension, with small cells suppressed.

Every view and export goes through :func:`table` (or :func:`tables`, several views from one
read), which ends in :func:`suppress_small_cells`: a row of fewer than MIN_CONVERSATIONS
conversations shows no figure at all, and where one row of a period would be the only
suppressed one (so that the period's total would give it away), the next smallest is
suppressed with it. In a row that is shown, the waiting-time figures are blanked when fewer
than MIN_CONVERSATIONS conversations waited in it, and the rating figures when fewer than
MIN_CONVERSATIONS rated (:func:`suppress_small_figures`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.models import (
    COUNTS,
    DIMENSIONS,
    LENGTH_BUCKETS,
    RATINGS,
    WAIT_BUCKETS,
    DailyCell,
    HourlyCell,
)

MIN_CONVERSATIONS = 5
PERIODS = ("hour", "day", "month", "year", "all")
SUPPRESSED = None  # what a suppressed figure shows

Row = dict[str, Any]


def _source(period: str) -> tuple[type, Any]:
    """The table a period is read from (hours from the hourly cells, longer periods from the
    daily ones) and its time column."""
    return (HourlyCell, HourlyCell.hour) if period == "hour" else (DailyCell, DailyCell.day)


def _period_column(session: Session, period: str, column: Any):
    """The start of ``column``'s period as text (ISO), in the database's SQL."""
    if period == "all":
        return None
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.date_trunc(period, column), 'YYYY-MM-DD"T"HH24:MI')
    pattern = {"hour": "%Y-%m-%dT%H:00", "day": "%Y-%m-%dT00:00", "month": "%Y-%m-01T00:00",
               "year": "%Y-01-01T00:00"}[period]  # fmt: skip
    return func.strftime(pattern, column)


def aggregate(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    period: str = "day",
    by: Sequence[str] = (),
) -> list[Row]:
    """Summed counts of the cells from ``start`` up to ``end`` per ``period`` and the
    dimensions ``by``, NOT suppressed: only :func:`table` and :func:`tables` may hand them
    on. Periods longer than an hour start at midnight UTC (the daily cells)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    unknown = [name for name in by if name not in DIMENSIONS]
    if unknown:
        raise ValueError(f"not a dimension: {', '.join(unknown)} (choose from {DIMENSIONS})")
    model, time_column = _source(period)
    period_column = _period_column(session, period, time_column)
    keys = ([period_column.label("period")] if period_column is not None else []) + [
        getattr(model, name) for name in by
    ]
    sums = [func.sum(getattr(model, name)).label(name) for name in COUNTS]
    query = (
        select(*keys, *sums)
        .where(time_column >= start, time_column < end)
        .group_by(*keys)
        .order_by(*keys)
    )
    rows = []
    for record in session.execute(query).mappings():
        row = dict(record)
        if period_column is None:
            row["period"] = "all"
        rows.append(row)
    return rows


def percentile(row: Row, buckets: tuple[tuple[float, str], ...], q: float) -> float | None:
    """The ``q`` quantile (0-1) of a bucketed count, interpolated inside its bucket; the open
    last bucket gives its lower bound. None without any count."""
    total = sum(row.get(name) or 0 for _, name in buckets)
    if not total:
        return None
    wanted = q * total
    lower, running = 0.0, 0
    for bound, name in buckets:
        count = row.get(name) or 0
        if running + count >= wanted and count:
            if bound == float("inf"):
                return lower
            return lower + (bound - lower) * (wanted - running) / count
        running += count
        lower = bound
    return lower


def with_measures(row: Row) -> Row:
    """The row with the figures people read: waiting time p50 and p90 (seconds), mean
    conversation length (messages), mean duration (seconds), ratings and their mean."""
    conversations = row.get("conversations") or 0
    rated = sum(row.get(name) or 0 for _, name in RATINGS)
    measured = dict(row)
    measured["wait_p50_seconds"] = percentile(row, WAIT_BUCKETS, 0.5)
    measured["wait_p90_seconds"] = percentile(row, WAIT_BUCKETS, 0.9)
    measured["length_p50_messages"] = percentile(row, LENGTH_BUCKETS, 0.5)
    measured["mean_messages"] = (
        (row.get("messages") or 0) / conversations if conversations else None
    )
    measured["mean_duration_seconds"] = (
        (row.get("duration_seconds") or 0) / conversations if conversations else None
    )
    measured["ratings"] = rated
    measured["mean_rating"] = (
        sum(stars * (row.get(name) or 0) for stars, name in RATINGS) / rated if rated else None
    )
    return measured


# Figures that describe only the conversations that waited for a counsellor, or only those
# that rated: each blanked when those are fewer than MIN_CONVERSATIONS.
WAIT_FIGURES = ("wait_p50_seconds", "wait_p90_seconds", "wait_seconds",
                *(name for _, name in WAIT_BUCKETS))  # fmt: skip
RATING_FIGURES = ("ratings", "mean_rating", *(name for _, name in RATINGS))


def suppress_small_figures(row: Row) -> Row:
    """A shown row with its waiting-time figures blanked when fewer than MIN_CONVERSATIONS
    conversations waited (were claimed, with a measured wait), and its rating figures when
    fewer than MIN_CONVERSATIONS rated: a figure never describes fewer people than a cell."""
    waited = sum(row.get(name) or 0 for _, name in WAIT_BUCKETS)
    rated = sum(row.get(name) or 0 for _, name in RATINGS)
    hidden = (WAIT_FIGURES if waited < MIN_CONVERSATIONS else ()) + (
        RATING_FIGURES if rated < MIN_CONVERSATIONS else ()
    )
    return {name: (SUPPRESSED if name in hidden else value) for name, value in row.items()}


def suppress_small_cells(rows: list[Row], keys: Sequence[str] = ()) -> list[Row]:
    """Rows of fewer than MIN_CONVERSATIONS conversations with every figure blanked
    (``suppressed`` true); ``keys`` are the row's labels, kept. Where a period (the rows
    with the same ``period``) would have exactly one suppressed row, its next smallest row
    is suppressed as well, so that no figure follows from the period's total. Shown rows go
    through :func:`suppress_small_figures`."""
    labels = {"period", *keys}
    small = {i for i, row in enumerate(rows) if (row.get("conversations") or 0) < MIN_CONVERSATIONS}
    by_period: dict[Any, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_period[row.get("period")].append(i)
    for members in by_period.values():
        hidden = [i for i in members if i in small]
        shown = [i for i in members if i not in small]
        if len(hidden) == 1 and shown:
            small.add(min(shown, key=lambda i: rows[i].get("conversations") or 0))
    result = []
    for i, row in enumerate(rows):
        if i in small:
            blank = {name: (value if name in labels else SUPPRESSED) for name, value in row.items()}
            blank["suppressed"] = True
            result.append(blank)
        else:
            result.append({**suppress_small_figures(row), "suppressed": False})
    return result


def table(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    period: str = "day",
    by: Sequence[str] = (),
) -> list[Row]:
    """The view every screen and export shows: summed per ``period`` and ``by``, with the
    derived figures, small cells suppressed."""
    rows = [with_measures(row) for row in aggregate(session, start, end, period, by)]
    return suppress_small_cells(rows, keys=by)


def roll_up(rows: list[Row], by: Sequence[str], whole_range: bool = False) -> list[Row]:
    """:func:`aggregate`'s rows summed to the dimensions ``by``, per period (or over the
    whole range, as period "all"), NOT suppressed, in :func:`aggregate`'s order."""
    summed: dict[tuple, Row] = {}
    for row in rows:
        period = "all" if whole_range else row["period"]
        key = (period, *(row[name] for name in by))
        cell = summed.get(key)
        if cell is None:
            cell = summed[key] = {"period": period, **{name: row[name] for name in by},
                                  **{name: 0 for name in COUNTS}}  # fmt: skip
        for name in COUNTS:
            cell[name] += row[name] or 0
    return [summed[key] for key in sorted(summed)]


def tables(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    period: str,
    views: dict[str, tuple[bool, Sequence[str]]],
) -> dict[str, list[Row]]:
    """Several views of one range from a single read (a screen with several charts): each
    named view is ``(whole_range, by)`` and comes out as :func:`table` would give it, with
    the derived figures and small cells suppressed."""
    dimensions = sorted({name for _, by in views.values() for name in by})
    rows = aggregate(session, start, end, period, dimensions)
    return {
        name: suppress_small_cells(
            [with_measures(row) for row in roll_up(rows, by, whole_range)], keys=by
        )
        for name, (whole_range, by) in views.items()
    }
