"""What the supervisors' dashboard shows: the suppressed views of one date range, read once.

Every figure comes from :func:`analytics.views.tables` (one read, each view suppressed as
:func:`analytics.views.table`), so a row of fewer than five conversations shows no figure
here either (``suppressed``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from analytics.models import RATINGS
from analytics.views import Row, tables

# A range up to this long is shown per day, a longer one per month.
DAILY_UP_TO = dt.timedelta(days=92)
# The handoff funnel: each step with the count it reads.
FUNNEL = (
    ("asked", "handoff_requests"),
    ("queued", "handoffs_queued"),
    ("claimed", "handoffs_claimed"),
    ("closed", "handoffs_finished"),
)


@dataclass(frozen=True)
class Dashboard:
    """The rows of each chart of one range, suppressed as every view."""

    start: dt.datetime
    end: dt.datetime  # exclusive
    period: str
    over_time: list[Row]  # per period
    by_group: list[Row]  # the whole range, per user group
    by_topic: list[Row]  # the whole range, per first topic
    total: Row  # the whole range

    def funnel(self) -> list[tuple[str, int | None]]:
        """The handoff funnel of the whole range: (step, conversations or None)."""
        return [(step, self.total.get(count)) for step, count in FUNNEL]

    def ratings(self) -> list[tuple[int, int | None]]:
        """Ratings of the whole range: (stars, how often or None)."""
        return [(stars, self.total.get(count)) for stars, count in RATINGS]


def period_for(start: dt.datetime, end: dt.datetime) -> str:
    """Days for a range up to three months, months for a longer one."""
    return "day" if end - start <= DAILY_UP_TO else "month"


def read_dashboard(
    session: Session, start: dt.datetime, end: dt.datetime, period: str | None = None
) -> Dashboard:
    """The dashboard of the cells from ``start`` up to ``end`` (exclusive)."""
    period = period or period_for(start, end)
    views = tables(session, start, end, period, {
        "over_time": (False, ()), "by_group": (True, ("user_group",)),
        "by_topic": (True, ("topic",)), "total": (True, ()),
    })  # fmt: skip
    [total] = views.pop("total") or [{"period": "all", "suppressed": True}]
    return Dashboard(start=start, end=end, period=period, total=total, **views)
