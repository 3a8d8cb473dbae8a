"""Console alerts on the real stack (issue 14, item 6): a person asks for a counsellor in the
web widget, another writes of wanting to die; the counsellor's console, in another tab of
real Chromium, counts them in its title and shows a notification for each, the crisis with
its own label. The browser's Notification is observed as in tests/console/test_alerts_in_browser.py.
"""

from __future__ import annotations

import pytest

from tests.console.test_alerts_in_browser import CRISIS, OBSERVE, QUEUED
from tests.e2e import test_widget_and_console as widget_and_console
from tests.e2e.test_widget_and_console import (
    PASSWORD,
    TIMEOUT_MS,
    _conversation_id,
    _open_widget,
    _say,
)

pytestmark = pytest.mark.e2e
browser = widget_and_console.browser  # fixtures: Chromium, and a counsellor's account
counsellor = widget_and_console.counsellor


def _notified(console, tag: str) -> dict:
    """The notification with this tag, once the console showed it."""
    find = "(tag) => window.observed.notifications.find(n => n.tag === tag)"
    return console.wait_for_function(find, arg=tag, timeout=TIMEOUT_MS).json_value()


def test_a_person_and_a_crisis_entering_the_queue_alert_the_counsellor(browser, stack, counsellor):
    context = browser.new_context(permissions=["notifications"])
    context.add_init_script(OBSERVE)
    console = context.new_page()
    console.goto(stack.settings.web_url + "/console/")
    console.get_by_label("Gebruikersnaam").fill(counsellor)
    console.get_by_label("Wachtwoord").fill(PASSWORD)
    console.get_by_role("button", name="Aanmelden").click()
    console.get_by_text(f"Aangemeld als {counsellor}").wait_for(timeout=TIMEOUT_MS)
    console.locator("#queue li").first.wait_for(timeout=TIMEOUT_MS)  # the first overview
    waiting_before = console.locator("#queue .item").count()

    person = _open_widget(browser.new_context(), stack)
    _say(person, "ik wil met een mens praten")
    queued = _notified(console, f"queued:{_conversation_id(person)}")
    assert queued["title"] == QUEUED
    assert console.title().startswith(f"({waiting_before + 1}) ")

    in_crisis = _open_widget(browser.new_context(), stack)
    _say(in_crisis, "ik wil niet meer leven")
    crisis = _notified(console, f"crisis:{_conversation_id(in_crisis)}")
    assert crisis["title"] == CRISIS
    console.wait_for_function("() => document.title.includes('DRINGEND · ')", timeout=TIMEOUT_MS)
    assert console.title().startswith(f"({waiting_before + 2}) DRINGEND · ")
    context.close()
