"""The console for a team, in real headless Chromium: an admin, two counsellors and a
supervisor (issue 14, items 1 and 2). The web server runs for real on 127.0.0.1 with the
handoff store on SQLite and the local fake of Rasa's HTTP API (tests/console/conftest.py).

A real browser, so marked e2e (outside ``make test-fast``); no trained model. Screenshots
go to results/screenshots/ (``make screenshots`` copies them into docs/screenshots/).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from channels.console.app import init_app
from ops.processes import free_port
from settings import PROJECT_DIR, load_suite_settings
from tests.console.conftest import PASSWORD
from tests.console.test_api import WAITING, queue_conversation

pytestmark = pytest.mark.e2e

SCREENSHOTS = PROJECT_DIR / "results" / "screenshots"
TIMEOUT_MS = 10_000


@contextlib.asynccontextmanager
async def served(config) -> AsyncIterator[str]:
    """The web server on a free port of 127.0.0.1; yields the console's URL."""
    runner = web.AppRunner(await init_app(config))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/console/"
    finally:
        await runner.cleanup()


@pytest.fixture
async def team(console_config, fake_rasa):
    """Chromium and the console's URL; the fake Rasa holds a transcript for WAITING."""
    from playwright.async_api import async_playwright

    chromium = load_suite_settings().chromium_path
    if not Path(chromium).exists():
        pytest.fail(f"No Chromium at {chromium}: `make browser` installs Debian's chromium.")
    fake_rasa[0].events[WAITING] = [
        {"event": "user", "text": "ik wil met een mens praten", "timestamp": 1}
    ]
    async with served(console_config) as url, async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), args=["--no-sandbox", "--lang=nl-BE"], headless=True
        )
        try:
            yield browser, url, console_config.database_url
        finally:
            await browser.close()


async def _logged_in(browser, url: str, username: str, password: str = PASSWORD):
    page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
    await page.goto(url)
    await page.get_by_label("Gebruikersnaam").fill(username)
    await page.get_by_label("Wachtwoord").fill(password)
    await page.get_by_role("button", name="Aanmelden").click()
    await page.get_by_text(f"Aangemeld als {username}").wait_for(timeout=TIMEOUT_MS)
    return page


async def _transcript_shows(page, text: str) -> None:
    await page.locator("#transcript").get_by_text(text).wait_for(timeout=TIMEOUT_MS)


async def _open(page, list_id: str, shows: str) -> None:
    """Open the conversation from a list; wait until the transcript area shows ``shows``."""
    await page.locator(f'{list_id} button[data-id="{WAITING}"]').click()
    await _transcript_shows(page, shows)


async def test_counsellors_supervisor_and_admin_each_see_what_their_role_allows(team):
    browser, url, database_url = team
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    queue_conversation(database_url, WAITING, priority="crisis")

    # A counsellor sees the queue as a summary; the transcript only after claiming it.
    an = await _logged_in(browser, url, "an")
    await _open(an, "#queue", "pas als je het overneemt")
    assert "ik wil met een mens praten" not in await an.locator("#transcript").inner_text()
    assert await an.locator("#summary dd").first.inner_text() == "werkzoekende"
    assert await an.locator("#accounts-view").count() == 0
    await an.get_by_role("button", name="Gesprek overnemen").click()
    await _transcript_shows(an, "ik wil met een mens praten")

    # Another counsellor cannot read it; the supervisor reads along and whispers.
    bo = await _logged_in(browser, url, "bo")
    await _open(bo, "#with-counsellor", "bij een andere begeleider")
    sam = await _logged_in(browser, url, "sam")
    await _open(sam, "#with-counsellor", "ik wil met een mens praten")
    assert await sam.locator("#read-only").is_visible()
    assert await sam.get_by_label("Bericht aan de persoon").is_hidden()
    await sam.get_by_label(re.compile("Influisteren aan de begeleider")).fill(
        "Vraag of er iemand thuis is."
    )
    await sam.get_by_role("button", name="Influisteren").click()
    await an.locator("#whispers").get_by_text("sam fluistert").wait_for(timeout=TIMEOUT_MS)
    assert "Vraag of er iemand thuis is." in await an.locator("#whispers").inner_text()
    await sam.screenshot(path=str(SCREENSHOTS / "console-supervisor.png"))
    assert "thuis" not in await bo.locator("body").inner_text()

    # The admin makes an account and disables bo: bo's open console is logged out at once.
    ada = await _logged_in(browser, url, "ada")
    await ada.locator("#accounts-view").wait_for(timeout=TIMEOUT_MS)
    await ada.locator("#new-username").fill("dirk")
    await ada.locator("#new-password").fill("een wachtwoord voor dirk")
    await ada.locator("#new-role").select_option("counsellor")
    await ada.get_by_role("button", name="Account aanmaken").click()
    await ada.locator('#accounts tr[data-username="dirk"]').wait_for(timeout=TIMEOUT_MS)
    await ada.get_by_role("button", name="Uitschakelen bo").click()
    await ada.get_by_role("button", name="Inschakelen bo").wait_for(timeout=TIMEOUT_MS)
    await bo.get_by_text("Je sessie is beëindigd").wait_for(timeout=TIMEOUT_MS)
    assert await bo.locator("#login-view").is_visible()
    await ada.screenshot(path=str(SCREENSHOTS / "console-accounts.png"), full_page=True)
    dirk = await _logged_in(browser, url, "dirk", "een wachtwoord voor dirk")
    assert await dirk.locator("#accounts-view").count() == 0
