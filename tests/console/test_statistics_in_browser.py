"""The supervisors' dashboard in real headless Chromium (issue 18, item 3): a supervisor
opens it from the console, chooses a date range and reads the charts and tables; a
counsellor sees no link and is refused. The web
server runs for real on 127.0.0.1 with SQLite stores; screenshot in results/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

import database
from analytics.models import COUNTS, Base
from channels.console.texts import ERRORS, TEXTS
from tests.analytics.test_views import _stored
from tests.console.test_team_in_browser import SCREENSHOTS, TIMEOUT_MS, _logged_in, served

pytestmark = pytest.mark.e2e

GROUPS = ("werkzoekende", "scholier", "werkende", "migratieachtergrond", "ouder_of_begeleider")
TOPICS = ("find_work", "study_choice_higher", "career_guidance", "learn_dutch", "study_grant")
FIRST_DAY = dt.datetime(2026, 9, 1)


def a_season_of_statistics(url: str) -> None:
    """Ninety days of made-up cells; one quiet day is too small to show."""
    rng = random.Random(3)
    cells = {}
    for day in range(90):
        for hour in (9, 13, 17):
            at = FIRST_DAY + dt.timedelta(days=day, hours=hour)
            for group, weight in zip(GROUPS, (6, 4, 3, 1, 1), strict=True):
                topic = rng.choice(TOPICS)
                n = rng.randint(0, weight)
                if day == 10:  # a quiet day: two conversations, shown as 'verborgen'
                    n = 2 if (hour, group) == (9, GROUPS[0]) else 0
                if not n:
                    continue
                asked = rng.randint(0, n)
                claimed = rng.randint(0, asked)
                counts = {name: 0 for name in COUNTS}
                counts.update(
                    conversations=n, messages=n * rng.randint(3, 9), fallbacks=rng.randint(0, n),
                    handoff_requests=asked, handoffs_queued=asked, handoffs_claimed=claimed,
                    handoffs_finished=claimed, wait_2m=claimed // 2,
                    wait_10m=claimed - claimed // 2, rating_4=claimed // 2, rating_5=claimed // 3,
                )  # fmt: skip
                labels = {
                    "channel": "widget",
                    "user_group": group,
                    "topic": topic,
                    "language": "nl",
                }
                cells[(at, group, topic)] = {"hour": at, **labels, **counts}
    with database.opened(url) as engine:
        Base.metadata.create_all(engine)
        with database.session_factory(engine).begin() as session:
            _stored(session, list(cells.values()))


@pytest.fixture
async def dashboard(console_config, tmp_path):
    """Chromium and the console's URL, with a season of statistics."""
    from playwright.async_api import async_playwright

    from settings import load_suite_settings

    url = f"sqlite:///{tmp_path / 'statistics.db'}"
    a_season_of_statistics(url)
    config = console_config.__class__(**{**console_config.__dict__, "statistics_url": url})
    async with served(config) as console_url, async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(load_suite_settings().chromium_path),
            args=["--no-sandbox", "--lang=nl-BE"],
            headless=True,
        )
        try:
            yield browser, console_url
        finally:
            await browser.close()


async def test_a_supervisor_reads_the_dashboard_and_a_counsellor_is_refused(dashboard):
    browser, url = dashboard
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    text = TEXTS.statistics

    an = await _logged_in(browser, url, "an")
    assert await an.locator("#statistics-link").is_hidden()  # the console links supervisors only
    response = await an.goto(url + "statistics")
    assert response.status == 403
    await an.get_by_text(ERRORS.statistics_supervisor_only).wait_for(timeout=TIMEOUT_MS)

    sam = await _logged_in(browser, url, "sam")
    refused: list[str] = []  # CSP violations and script errors would show here

    def note_error(message) -> None:
        if message.type == "error":
            refused.append(message.text)

    sam.on("console", note_error)
    await sam.get_by_role("link", name=text.link).click()
    await sam.wait_for_url("**/console/statistics", timeout=TIMEOUT_MS)
    await sam.get_by_label(text.from_, exact=True).fill("2026-09-01")
    await sam.get_by_label(text.to, exact=True).fill("2026-10-31")
    await sam.get_by_role("button", name=text.show).click()
    await sam.wait_for_url("**from=2026-09-01&to=2026-10-31", timeout=TIMEOUT_MS)
    await sam.get_by_role("heading", name=text.by_group).wait_for(timeout=TIMEOUT_MS)

    for title in (text.over_time, text.by_group, text.by_topic, text.funnel, text.waiting,
                  text.ratings):  # fmt: skip
        assert await sam.get_by_role("img", name=title).is_visible(), title
        assert await sam.get_by_role("table", name=title).is_visible(), title
    days = sam.locator("#over-time-table tbody tr")
    assert await days.count() == 61  # September and October, per day
    groups = await sam.locator("#by-group-table tbody th").all_inner_texts()
    assert groups[0] == TEXTS.labels.group("werkzoekende")
    assert text.suppressed in await sam.locator("#over-time-table").inner_text()
    box = await sam.locator("#by-group svg").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100  # drawn, not blocked by the CSP
    assert refused == []
    await sam.screenshot(path=str(SCREENSHOTS / "console-statistics.png"), full_page=True)

    async with sam.expect_download() as download:
        await sam.locator("#export-by-group").click()
    saved = await (await download.value).path()
    assert saved.read_text(encoding="utf-8").startswith("period,user_group,suppressed,")
