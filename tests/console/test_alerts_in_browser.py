"""Console alerts in real headless Chromium (issue 14, item 6): the title's count, the
browser's notification and the sound when someone enters the queue (a crisis with its own
label and sound, first) and when the person writes in a held conversation the counsellor is
not looking at; each switched off by the counsellor, and still off after a reload.

The web server runs for real on 127.0.0.1 with the handoff store on SQLite and the local fake
of Rasa's HTTP API (tests/console/conftest.py). What the page asks of the browser is observed
by wrapping the browser's own Notification and OscillatorNode.start in an init script: the
console's code runs as it is.
"""

from __future__ import annotations

import datetime as dt

import pytest

import database
from handoff.queue import enqueue
from tests.console import test_team_in_browser as team_in_browser
from tests.console.conftest import PASSWORD
from tests.console.test_team_in_browser import SCREENSHOTS, TIMEOUT_MS

pytestmark = pytest.mark.e2e
team = team_in_browser.team  # fixture: Chromium and the served console

TITLE = "Wegwijzer: console voor begeleiders"
QUEUED = "Iemand wacht in de wachtrij"
CRISIS = "DRINGEND: iemand in crisis wacht in de wachtrij"
MESSAGE = "Nieuw bericht in een gesprek van jou"
FIRST, SECOND, URGENT, LATER = ("a" * 22, "b" * 22, "c" * 22, "d" * 22)

OBSERVE = """
window.observed = { notifications: [], tones: [] };
const RealNotification = window.Notification;
window.Notification = class extends RealNotification {
  constructor(title, options) {
    window.observed.notifications.push({ title: title, body: options.body, tag: options.tag });
    super(title, options);
  }
  static get permission() { return RealNotification.permission; }
  static requestPermission() { return RealNotification.requestPermission(); }
};
const realStart = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.observed.tones.push({ type: this.type, frequency: this.frequency.value });
  return realStart.apply(this, args);
};
"""


def _enqueue(url: str, *conversations: tuple[str, str]) -> None:
    """Put (id, priority) pairs in the queue in one transaction: one overview sees them all."""
    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        for minute, (conversation_id, priority) in enumerate(conversations):
            enqueue(
                session, conversation_id, "widget", priority, "werkzoekende", "find_work",
                {"language": "nl", "asked": ["find_work"]}, dt.datetime(2026, 11, 23, 17, minute),
            )  # fmt: skip


@pytest.fixture
async def console_page(team, fake_rasa):
    """Counsellor an on the console in Chromium, notifications allowed; the page, the
    handoff store's URL and the fake Rasa, which holds a first message for each conversation."""
    browser, url, database_url = team
    for conversation_id in (FIRST, SECOND, URGENT, LATER):
        fake_rasa[0].events[conversation_id] = [
            {"event": "user", "text": "ik wil met een mens praten", "timestamp": 1}
        ]
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, permissions=["notifications"]
    )
    await context.add_init_script(OBSERVE)
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_label("Gebruikersnaam").fill("an")
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await page.get_by_role("button", name="Aanmelden").click()
    await page.locator("#queue .empty").wait_for(timeout=TIMEOUT_MS)
    return page, database_url, fake_rasa[0]


async def _observed(page, what: str, count: int) -> list[dict]:
    """The first ``count`` notifications or tones, once there are that many."""
    await page.wait_for_function(
        "([what, count]) => window.observed[what].length >= count",
        arg=[what, count],
        timeout=TIMEOUT_MS,
    )  # a function, not an expression: the console's CSP forbids eval
    return await page.evaluate(f"window.observed.{what}")


async def _title_is(page, title: str) -> None:
    await page.wait_for_function("t => document.title === t", arg=title, timeout=TIMEOUT_MS)


async def test_queue_arrivals_and_messages_alert_until_switched_off(console_page):
    page, database_url, rasa = console_page
    assert await page.title() == TITLE
    assert await page.evaluate("window.observed.notifications") == []

    # Someone enters the queue: the count in the title, a notification, the gentle sound.
    _enqueue(database_url, (FIRST, "normal"))
    await _title_is(page, f"(1) {TITLE}")
    [queued] = await _observed(page, "notifications", 1)
    assert queued["title"] == QUEUED
    assert queued["body"] == "werkzoekende · werk zoeken"
    tones = await _observed(page, "tones", 2)
    assert {tone["type"] for tone in tones} == {"sine"}

    # A crisis and another person in the same moment: the crisis is announced first, with
    # its own label and sound, and the title says it before the count's name.
    _enqueue(database_url, (SECOND, "normal"), (URGENT, "crisis"))
    await _title_is(page, f"(3) DRINGEND · {TITLE}")
    notifications = await _observed(page, "notifications", 3)
    assert [n["title"] for n in notifications[1:]] == [CRISIS, QUEUED]
    assert notifications[1]["tag"] == f"crisis:{URGENT}"
    await page.wait_for_function(
        "() => window.observed.tones.some(t => t.type === 'square')", timeout=TIMEOUT_MS
    )
    crisis_tones = [t for t in await page.evaluate("window.observed.tones") if t["type"] != "sine"]
    assert {tone["type"] for tone in crisis_tones} == {"square"}

    # an holds FIRST but looks at another conversation; the person writes in FIRST.
    await page.locator(f'#queue button[data-id="{FIRST}"]').click()
    await page.get_by_role("button", name="Gesprek overnemen").click()
    await (
        page.locator("#transcript")
        .get_by_text("ik wil met een mens praten")
        .wait_for(timeout=TIMEOUT_MS)
    )
    await page.locator(f'#queue button[data-id="{URGENT}"]').click()
    await page.locator("#transcript .refused").wait_for(timeout=TIMEOUT_MS)
    rasa.events[FIRST].append({"event": "user", "text": "hallo, ben je daar?", "timestamp": 2})
    notifications = await _observed(page, "notifications", 4)
    assert notifications[3] == {"title": MESSAGE, "body": f"Gesprek {FIRST[:8]}",
                                "tag": f"message:{FIRST}"}  # fmt: skip
    assert "hallo" not in str(notifications)  # never what the person wrote
    await _title_is(page, f"(3) DRINGEND · {TITLE}")  # two waiting, one message unread
    unread = page.locator(f'#with-counsellor button[data-id="{FIRST}"] .unread')
    assert await unread.inner_text() == "1 nieuw"
    assert (await page.evaluate("window.observed.tones"))[-1]["type"] == "triangle"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / "console-alerts.png"))

    # Looking at it clears the count; a message in the conversation looked at alerts nothing.
    await page.locator(f'#with-counsellor button[data-id="{FIRST}"]').click()
    await _title_is(page, f"(2) DRINGEND · {TITLE}")
    assert await unread.count() == 0
    rasa.events[FIRST].append({"event": "user", "text": "nog een vraag", "timestamp": 3})
    await page.locator("#transcript").get_by_text("nog een vraag").wait_for(timeout=TIMEOUT_MS)
    assert len(await page.evaluate("window.observed.notifications")) == 4

    # Sound and notifications switched off: a new arrival only raises the title's count.
    await page.get_by_label("met geluid").uncheck()
    await page.get_by_label("met een melding van de browser").uncheck()
    tones_before = len(await page.evaluate("window.observed.tones"))
    _enqueue(database_url, (LATER, "normal"))
    await _title_is(page, f"(3) DRINGEND · {TITLE}")
    await page.wait_for_timeout(1000)  # five more polls of the watcher
    assert len(await page.evaluate("window.observed.notifications")) == 4
    assert len(await page.evaluate("window.observed.tones")) == tones_before

    # The title's count switched off; the choices outlive a reload.
    await page.get_by_label("met het aantal in de titel van het tabblad").uncheck()
    await _title_is(page, TITLE)
    await page.reload()
    await page.locator(f'#queue button[data-id="{LATER}"]').wait_for(timeout=TIMEOUT_MS)
    assert not await page.get_by_label("met geluid").is_checked()
    assert not await page.get_by_label("met een melding van de browser").is_checked()
    assert not await page.get_by_label("met het aantal in de titel van het tabblad").is_checked()
    assert await page.title() == TITLE
    await page.get_by_label("met het aantal in de titel van het tabblad").check()
    await _title_is(page, f"(3) DRINGEND · {TITLE}")
