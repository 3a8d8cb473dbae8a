"""The supervisors' dashboard and its CSV export (issue 18, item 3): who may open them, small
cells never shown, the date range, the charts' figures beside their tables."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest

import database
from analytics.models import Base
from channels.console.app import init_app
from channels.console.charts import (
    LABEL_CHARACTERS,
    STUB,
    columns,
    horizontal_bars,
    nice_maximum,
)
from channels.console.texts import ERRORS, TEXTS
from tests.analytics.test_views import _cell, _stored
from tests.console.conftest import login

MARCH = dt.datetime(2026, 3, 2)
MAY = dt.datetime(2026, 5, 10)
SUPPRESSED = TEXTS.statistics.suppressed


def fill_statistics(url: str) -> None:
    """March 2: werkzoekenden 12 (handoffs, 5 waits, 5 ratings), newcomers 3, workers 8;
    May 10: werkzoekenden 20 (3 waits, 3 ratings)."""
    with database.opened(url) as engine:
        Base.metadata.create_all(engine)
        with database.session_factory(engine).begin() as session:
            _stored(session, [
                _cell(MARCH.replace(hour=9), "werkzoekende", 6, messages=30, fallbacks=4,
                      handoff_requests=6, handoffs_queued=5, handoffs_claimed=5,
                      handoffs_finished=3, wait_2m=2, wait_10m=3, rating_4=3, rating_5=2),
                _cell(MARCH.replace(hour=10), "werkzoekende", 6, messages=20),
                _cell(MARCH.replace(hour=9), "migratieachtergrond", 3, messages=12,
                      crisis_flags=1),
                _cell(MARCH.replace(hour=11), "werkende", 8, messages=40),
                _cell(MAY.replace(hour=14), "werkzoekende", 20, messages=99,
                      handoffs_claimed=3, wait_5m=3, rating_5=3),
            ])  # fmt: skip


@pytest.fixture
async def console(fake_rasa, console_config, aiohttp_client, tmp_path):
    url = f"sqlite:///{tmp_path / 'statistics.db'}"
    fill_statistics(url)
    config = console_config.__class__(**{**console_config.__dict__, "statistics_url": url})
    return await aiohttp_client(await init_app(config))


def table_rows(page: str, table_id: str) -> dict[str, list[str]]:
    """The body rows of the page's table ``table_id``: row heading -> the other cells."""
    found = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.S)
    assert found, f"no table {table_id}"
    body = found.group(1).split("<tbody>", 1)[1]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        rows[cells[0]] = cells[1:]
    return rows


async def test_only_supervisors_and_admins_open_the_dashboard(console):
    response = await console.get("/console/statistics", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/console/"
    await login(console, "an")
    response = await console.get("/console/statistics")
    assert response.status == 403
    page = await response.text()
    assert html.escape(ERRORS.statistics_supervisor_only, quote=True) in page
    assert "by-group-table" not in page
    response = await console.get("/api/statistics.csv")
    assert response.status == 403
    assert await response.json() == {"error": ERRORS.statistics_supervisor_only}
    for supervisor in ("sam", "ada"):
        await login(console, supervisor)
        response = await console.get("/console/statistics?from=2026-03-01&to=2026-03-31")
        assert response.status == 200, supervisor
        assert "script" not in response.headers["Content-Security-Policy"].split("script-src")[0]
        assert (await console.get("/api/statistics.csv")).status == 200


async def test_small_cells_are_never_shown_on_the_page(console):
    await login(console, "sam")
    response = await console.get("/console/statistics?from=2026-03-01&to=2026-03-31")
    page = await response.text()
    groups = table_rows(page, "by-group-table")
    assert groups["werkzoekende"] == ["12", "6", "4"]
    # 3 newcomers: hidden; the workers (8) too, else the total 23 would give the 3 away
    assert groups["nieuwkomer"] == [SUPPRESSED] * 3
    assert groups["werkende"] == [SUPPRESSED] * 3
    assert ">3<" not in page.split('id="by-group"')[1].split("</section>")[0]
    assert table_rows(page, "over-time-table")["2026-03-02"][:2] == ["23", "102"]


async def test_the_funnel_waits_and_ratings_of_the_range(console):
    await login(console, "sam")
    page = await (await console.get("/console/statistics?from=2026-03-01&to=2026-03-31")).text()
    steps = TEXTS.statistics.funnel_steps
    funnel = table_rows(page, "funnel-table")
    assert funnel[steps["asked"]] == ["6", "100%"]
    assert funnel[steps["claimed"]] == ["5", "83%"]
    assert funnel[steps["closed"]] == ["3", "50%"]
    # five waits: two of 1-2 minutes, three of 5-10: median at 1/6 of 5-10 (5.8 minutes),
    # p90 at 5/6 of it (9.2)
    assert table_rows(page, "waiting-table")["2026-03-02"] == ["5,8", "9,2"]
    ratings = table_rows(page, "ratings-table")
    assert ratings[TEXTS.statistics.stars.format(stars=4)] == ["3"]
    assert '<strong id="mean-rating">4,4</strong>' in page
    assert page.count("<svg") == 6


async def test_waits_and_ratings_of_fewer_than_five_people_are_hidden(console):
    """May 10: 20 conversations, but only 3 waited and 3 rated: those figures would describe
    fewer than five people."""
    await login(console, "sam")
    page = await (await console.get("/console/statistics?from=2026-05-01&to=2026-05-31")).text()
    assert table_rows(page, "over-time-table")["2026-05-10"][0] == "20"
    assert table_rows(page, "waiting-table")["2026-05-10"] == [SUPPRESSED, SUPPRESSED]
    ratings = table_rows(page, "ratings-table")
    assert set(map(tuple, ratings.values())) == {(SUPPRESSED,)}
    assert f'<strong id="mean-rating">{SUPPRESSED}</strong>' in page
    response = await console.get("/api/statistics.csv?from=2026-05-01&to=2026-05-31")
    [may] = list(csv.DictReader(io.StringIO(await response.text())))
    assert may["suppressed"] == "0" and may["conversations"] == "20"
    assert may["handoffs_claimed"] == "3"
    wait_and_rating = ("wait_p50_seconds", "wait_p90_seconds", "ratings", "mean_rating")
    assert [may[name] for name in wait_and_rating] == [""] * 4


async def test_the_date_range_chooses_the_cells(console):
    await login(console, "sam")
    may = await (await console.get("/console/statistics?from=2026-05-01&to=2026-05-31")).text()
    assert list(table_rows(may, "over-time-table")) == ["2026-05-10"]
    assert table_rows(may, "by-group-table") == {"werkzoekende": ["20", "0", "0"]}
    year = await (await console.get("/console/statistics?from=2026-01-01&to=2026-12-31")).text()
    months = table_rows(year, "over-time-table")  # longer than three months: per month
    assert list(months) == ["2026-03", "2026-05"] and months["2026-05"][0] == "20"
    empty = await (await console.get("/console/statistics?from=2025-01-01&to=2025-01-31")).text()
    assert 'id="no-data"' in empty
    for wrong in ("from=2026-05-01&to=2026-03-01", "from=2026-13-01", "period=hour"):
        response = await console.get(f"/console/statistics?{wrong}")
        assert response.status == 400, wrong
        assert html.escape(ERRORS.statistics_bad_range, quote=True) in await response.text()
    response = await console.get("/api/statistics.csv?from=2026-03-01&to=2026-02-01")
    assert response.status == 400


async def test_the_csv_export_is_suppressed_and_filtered_by_date(console):
    await login(console, "sam")
    response = await console.get(
        "/api/statistics.csv?from=2026-03-01&to=2026-03-31&period=all&by=user_group"
    )
    assert response.status == 200 and response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = {row["user_group"]: row for row in csv.DictReader(io.StringIO(await response.text()))}
    assert set(rows) == {"werkzoekende", "migratieachtergrond", "werkende"}  # not May's
    assert rows["werkzoekende"]["conversations"] == "12"
    for small in ("migratieachtergrond", "werkende"):
        assert rows[small]["suppressed"] == "1"
        assert rows[small]["conversations"] == rows[small]["crisis_flags"] == ""
    whole = await (await console.get("/api/statistics.csv?from=2026-01-01&to=2026-12-31")).text()
    assert [row["period"] for row in csv.DictReader(io.StringIO(whole))] == [
        "2026-03-02T00:00",
        "2026-05-10T00:00",
    ]
    assert (await console.get("/api/statistics.csv?by=name")).status == 400


async def test_without_a_statistics_database_the_page_says_so(console_config, aiohttp_client):
    client = await aiohttp_client(await init_app(console_config))
    await login(client, "sam")
    response = await client.get("/console/statistics")
    assert response.status == 503
    assert html.escape(ERRORS.statistics_unavailable, quote=True) in await response.text()


def test_bars_scale_to_a_round_maximum_and_suppressed_ones_are_a_stub():
    assert [nice_maximum(v) for v in (0, 7, 12, 230, 0.4)] == [1, 10, 20, 250, 0.5]
    chart = horizontal_bars([("a", 10), ("b", None), ("c", 5)])
    assert [bar.width for bar in chart.bars] == [300, STUB, 150]
    chart = columns(["d1", "d2"], [[4, None], [8, 2]])
    heights = [bar.height for bar in chart.bars]
    assert heights[0] * 2 == heights[2] and heights[1] == STUB
    assert [tick.text for tick in chart.ticks] == ["0", "5", "10"]
    [long] = horizontal_bars([(TEXTS.labels.group("ouder_of_begeleider"), 5)]).bars
    assert len(long.short_label) == LABEL_CHARACTERS and long.short_label.endswith("…")
