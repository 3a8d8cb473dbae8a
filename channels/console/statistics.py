"""The supervisors' dashboard (``/console/statistics``) and its CSV export
(``/api/statistics.csv``): the suppressed views of analytics/, for supervisors and admins.

The page is HTML drawn on the server, charts included (SVG, templates/charts.html), so it
works without script under the console's CSP. Each chart has a table beside it with the
same figures. A figure of fewer than five conversations shows as "verborgen", never as a
number (analytics.views).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import partial
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

import database
from analytics.dashboard import Dashboard, read_dashboard
from analytics.export import write_csv
from analytics.models import DIMENSIONS, UNKNOWN
from analytics.views import MIN_CONVERSATIONS, PERIODS, Row
from channels.console import charts
from channels.console.access import is_supervisor
from channels.console.auth import reader
from channels.console.security import COOKIE
from channels.console.state import STATISTICS, in_transaction
from channels.console.texts import ERRORS, TEXTS
from handoff import accounts

TEXT = TEXTS.statistics
DEFAULT_RANGE = dt.timedelta(days=365)  # a year up to today
MAX_RANGE = dt.timedelta(days=3653)  # ten years
PAGE_PERIODS = ("day", "month")  # the page's; the export takes every period of the views
EXPORTS = {"over_time": (), "by_group": ("user_group",), "by_topic": ("topic",)}
# The counts in the tables beside the charts (their headings: texts.yml statistics.columns).
OVER_TIME_COUNTS = ("conversations", "messages", "fallbacks", "clarifications",
                    "handoff_requests", "crisis_flags")  # fmt: skip
SHARE_COUNTS = ("conversations", "handoff_requests", "fallbacks")


@dataclass(frozen=True)
class DateRange:
    """Days ``first`` to ``last``, both included (UTC)."""

    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time())

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight after the last day."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time())


def date_range(query: Any, today: dt.date) -> DateRange:
    """The range of ``?from=YYYY-MM-DD&to=YYYY-MM-DD``; by default the year up to today.
    400 for a date that is not one, a start after the end, or more than ten years."""
    try:
        last = dt.date.fromisoformat(query["to"]) if query.get("to") else today
        first = (
            dt.date.fromisoformat(query["from"])
            if query.get("from")
            else last - DEFAULT_RANGE + dt.timedelta(days=1)
        )
    except ValueError as error:
        raise web.HTTPBadRequest(text=ERRORS.statistics_bad_range) from error
    if first > last or last - first >= MAX_RANGE:
        raise web.HTTPBadRequest(text=ERRORS.statistics_bad_range)
    return DateRange(first, last)


async def _reader_of_page(request: web.Request) -> accounts.LiveSession | None:
    """The live session behind the page's cookie (the API's guard covers /api/ only)."""
    token = request.cookies.get(COOKIE)
    return await in_transaction(request.app, partial(accounts.active_session, action=True), token)


async def _read(request: web.Request, work, *args) -> Any:
    """Run ``work(session, *args)`` on the statistics database; 503 when it is not there."""
    factory = request.app.get(STATISTICS)
    if factory is None:
        raise web.HTTPServiceUnavailable(text=ERRORS.statistics_unavailable)
    try:
        return await database.in_transaction(factory, work, *args)
    except SQLAlchemyError as error:
        raise web.HTTPServiceUnavailable(text=ERRORS.statistics_unavailable) from error


def _refusal(request: web.Request, status: int, message: str) -> web.Response:
    context = {"t": TEXT, "message": message, "refused": status == 403}
    return aiohttp_jinja2.render_template(
        "statistics_refused.html", request, context, status=status
    )


async def dashboard_page(request: web.Request) -> web.StreamResponse:
    """The dashboard for a supervisor or admin; the console's login without a session, 403
    (a page saying why) for a counsellor."""
    live = await _reader_of_page(request)
    if live is None:
        raise web.HTTPFound("/console/")
    if not is_supervisor(live):
        return _refusal(request, 403, ERRORS.statistics_supervisor_only)
    try:
        chosen = date_range(request.query, dt.datetime.now(dt.timezone.utc).date())
        period = request.query.get("period") or None
        if period is not None and period not in PAGE_PERIODS:
            raise web.HTTPBadRequest(text=ERRORS.statistics_bad_range)
        dashboard = await _read(request, read_dashboard, chosen.start, chosen.end, period)
    except web.HTTPException as error:
        return _refusal(request, error.status, error.text or "")
    context = page_context(dashboard, chosen)
    return aiohttp_jinja2.render_template("statistics.html", request, context)


async def export_csv(request: web.Request) -> web.Response:
    """``GET /api/statistics.csv?from=&to=&period=&by=``: the suppressed view as CSV."""
    if not is_supervisor(reader(request)):
        raise web.HTTPForbidden(text=ERRORS.statistics_supervisor_only)
    chosen = date_range(request.query, dt.datetime.now(dt.timezone.utc).date())
    period = request.query.get("period", "day")
    by = tuple(name for name in request.query.get("by", "").split(",") if name)
    if period not in PERIODS or set(by) - set(DIMENSIONS):
        raise web.HTTPBadRequest(text=ERRORS.statistics_bad_range)

    def export(session) -> str:
        out = io.StringIO()
        write_csv(session, out, chosen.start, chosen.end, period, by)
        return out.getvalue()

    body = await _read(request, export)
    name = f"statistieken-{chosen.first}-{chosen.last}-{period}{''.join('-' + b for b in by)}.csv"
    return web.Response(
        text=body,
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# What the template shows: per chart its geometry and its table.


def _number(value: float | None, decimals: int = 0) -> str:
    """A figure as Dutch readers write it (decimal comma); suppressed: 'verborgen'."""
    if value is None:
        return TEXT.suppressed
    if decimals == 0:
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:.{decimals}f}".replace(".", ",")


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def _group(value: str) -> str:
    return TEXTS.labels.group(None if value == UNKNOWN else value)


def _topic(value: str) -> str:
    return (TEXTS.labels.topic(None if value == UNKNOWN else value)) or TEXT.unknown_topic


def _ranked(rows: list[Row], key: str, label) -> list[tuple[str, Row]]:
    """Shown rows largest first, suppressed ones after them."""
    ordered = sorted(rows, key=lambda row: (row["suppressed"], -(row["conversations"] or 0)))
    return [(label(row[key]), row) for row in ordered]


def _bars_and_table(items: list[tuple[str, Row]]) -> dict:
    """A horizontal bar chart of conversations and its table of SHARE_COUNTS."""
    chart = charts.horizontal_bars([(label, row["conversations"]) for label, row in items])
    table = [[label, *(_number(row.get(key)) for key in SHARE_COUNTS)] for label, row in items]
    return {"chart": chart, "headings": [TEXT.columns[key] for key in SHARE_COUNTS], "rows": table}


def page_context(dashboard: Dashboard, chosen: DateRange) -> dict[str, Any]:
    """Everything statistics.html needs, every word from texts.yml."""
    period_words = TEXT.per_day if dashboard.period == "day" else TEXT.per_month
    shown = 10 if dashboard.period == "day" else 7  # 2026-03-02, 2026-03
    periods = [row["period"][:shown] for row in dashboard.over_time]
    over_time = {
        "chart": charts.columns(periods, [[row["conversations"] for row in dashboard.over_time]]),
        "headings": [TEXT.columns[key] for key in OVER_TIME_COUNTS],
        "rows": [
            [period, *(_number(row.get(key)) for key in OVER_TIME_COUNTS)]
            for period, row in zip(periods, dashboard.over_time, strict=True)
        ],
    }
    p50 = [_minutes(row.get("wait_p50_seconds")) for row in dashboard.over_time]
    p90 = [_minutes(row.get("wait_p90_seconds")) for row in dashboard.over_time]
    waiting = {
        "chart": charts.columns(periods, [p50, p90]),
        "rows": [
            [period, _number(a, 1), _number(b, 1)]
            for period, a, b in zip(periods, p50, p90, strict=True)
        ],
    }
    asked = dashboard.total.get("handoff_requests")
    funnel_steps = dashboard.funnel()
    funnel = {
        "chart": charts.horizontal_bars(
            [(TEXT.funnel_steps[step], value) for step, value in funnel_steps]
        ),
        "rows": [
            [
                TEXT.funnel_steps[step],
                _number(value),
                "" if value is None or not asked else f"{round(100 * value / asked)}%",
            ]
            for step, value in funnel_steps
        ],
    }
    star_counts = dashboard.ratings()
    ratings = {
        "chart": charts.horizontal_bars(
            [(TEXT.stars.format(stars=stars), value) for stars, value in star_counts]
        ),
        "rows": [[TEXT.stars.format(stars=s), _number(value)] for s, value in star_counts],
        "mean": _number(dashboard.total.get("mean_rating"), 1),
    }
    return {
        "t": TEXT,
        "minimum": MIN_CONVERSATIONS,
        "first": chosen.first.isoformat(),
        "last": chosen.last.isoformat(),
        "period": dashboard.period,
        "period_words": period_words,
        "empty": not dashboard.over_time,
        "over_time": over_time,
        "by_group": _bars_and_table(_ranked(dashboard.by_group, "user_group", _group)),
        "by_topic": _bars_and_table(_ranked(dashboard.by_topic, "topic", _topic)),
        "funnel": funnel,
        "waiting": waiting,
        "ratings": ratings,
        "exports": {
            name: "&".join(
                part
                for part in (
                    f"from={chosen.first}",
                    f"to={chosen.last}",
                    f"period={dashboard.period if not by else 'all'}",
                    f"by={','.join(by)}" if by else "",
                )
                if part
            )
            for name, by in EXPORTS.items()
        },
    }
