"""A person in the web widget and a counsellor in the console, in real headless Chromium.

Real processes (Rasa, action server, web server) from the e2e stack; the browser is
Debian's Chromium driven by Playwright (CHROMIUM_PATH). Screenshots go to the ignored
results/screenshots/; `make screenshots` copies them into docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid

import pytest
import requests

from handoff.accounts import add_counsellor
from settings import PROJECT_DIR, load_suite_settings
from tests.e2e.conftest import ALWAYS_OPEN

pytestmark = pytest.mark.e2e

SCREENSHOTS = PROJECT_DIR / "results" / "screenshots"
PASSWORD = "e2e wachtwoord dat lang genoeg is"
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = load_suite_settings().chromium_path
    if not chromium.exists():
        pytest.fail(f"No Chromium at {chromium}: `make browser` installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            # A Dutch browser unless a test sets another locale: no language offer.
            executable_path=str(chromium),
            args=["--no-sandbox", "--lang=nl-BE"],
            headless=True,
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def counsellor(stack) -> str:
    name = "begeleider-" + uuid.uuid4().hex[:6]
    add_counsellor(stack.settings.handoff_url, name, PASSWORD)
    return name


def _slot_becomes(stack, conversation_id: str, name: str, value, seconds: float = 10.0):
    """The slot's value once it is ``value``, or its last value after ``seconds``: Rasa saves
    the tracker after the action's messages have gone out to the widget."""
    deadline = time.monotonic() + seconds
    current = _slot(stack, conversation_id, name)
    while current != value and time.monotonic() < deadline:
        time.sleep(0.2)
        current = _slot(stack, conversation_id, name)
    return current


def _slot(stack, conversation_id: str, name: str):
    response = requests.get(
        f"{stack.settings.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": stack.token},
        timeout=10,
    )
    return response.json()["slots"].get(name)


def _open_widget(context, stack):
    page = context.new_page()
    page.goto(stack.settings.web_url + "/")
    page.get_by_role("button", name="Chat met ons").click()
    page.locator(".ww-bot").first.wait_for(timeout=TIMEOUT_MS)  # the greeting
    return page


def _say(page, text: str) -> None:
    page.get_by_label("Je bericht").fill(text)
    page.keyboard.press("Enter")


def _console(browser, stack, counsellor: str):
    """A counsellor logged in to the console; the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = context.new_page()
    console.goto(stack.settings.web_url + "/console/")
    console.get_by_label("Gebruikersnaam").fill(counsellor)
    console.get_by_label("Wachtwoord").fill(PASSWORD)
    console.get_by_role("button", name="Aanmelden").click()
    return console


def _console_with(browser, stack, counsellor: str, conversation_id: str):
    """A counsellor logs in and opens the conversation from the live queue; the page."""
    console = _console(browser, stack, counsellor)
    waiting = console.locator(f'#queue button[data-id="{conversation_id}"]')
    waiting.wait_for(timeout=TIMEOUT_MS)
    waiting.click()
    return console


def _conversation_id(page) -> str:
    return page.evaluate("JSON.parse(sessionStorage.getItem('wegwijzer.conversation'))")


def test_person_and_counsellor_hold_a_handed_over_conversation(browser, stack, counsellor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    person_context = browser.new_context(viewport={"width": 360, "height": 740})
    person = _open_widget(person_context, stack)
    conversation_id = _conversation_id(person)
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", conversation_id)

    _say(person, "ik wil met een mens praten")
    status = person.locator(".ww-status")
    # Other tests share the stack: the place may be higher than 1.
    status.filter(has_text=re.compile(r"nummer \d+ in de wachtrij")).wait_for(timeout=TIMEOUT_MS)
    assert _slot_becomes(stack, conversation_id, "handoff_status", "queued") == "queued"
    person.get_by_role("button", name="Verder met de bot").wait_for(timeout=TIMEOUT_MS)
    person.screenshot(path=str(SCREENSHOTS / "widget-queue.png"))

    # The counsellor logs in, sees the conversation in the live queue and claims it.
    console = _console_with(browser, stack, counsellor, conversation_id)
    console.get_by_role("button", name="Gesprek overnemen").click()
    console.locator("#transcript").filter(has_text="ik wil met een mens praten").wait_for(
        timeout=TIMEOUT_MS
    )
    person.locator(".ww-bot", has_text="Je praat nu met een begeleider").wait_for(
        timeout=TIMEOUT_MS
    )
    status.filter(has_text="Je praat nu met een begeleider").wait_for(timeout=TIMEOUT_MS)
    assert _slot(stack, conversation_id, "handoff_status") == "with_counsellor"

    # They talk; the bot stays silent. A Dutch quick reply starts the message.
    console.locator(".quick-reply", has_text="Dag, ik ben begeleider").click()
    message = console.get_by_label("Bericht aan de persoon")
    assert message.input_value().startswith("Dag, ik ben begeleider.")
    message.fill("Dag, ik ben een begeleider. Vertel maar.")
    console.get_by_role("button", name="Verstuur").click()
    person.locator(".ww-counsellor", has_text="Vertel maar.").wait_for(timeout=TIMEOUT_MS)
    bot_messages = person.locator(".ww-bot").count()
    _say(person, "ik twijfel over mijn studie, wat doet een lasser eigenlijk")
    console.locator("#transcript").filter(has_text="wat doet een lasser").wait_for(
        timeout=TIMEOUT_MS
    )
    person.wait_for_timeout(1500)
    assert person.locator(".ww-bot").count() == bot_messages  # no bot answer while paused

    # A reload keeps the conversation; what is typed after it still reaches the counsellor.
    person.reload()
    person.locator(".ww-counsellor", has_text="Vertel maar.").wait_for(timeout=TIMEOUT_MS)
    assert _conversation_id(person) == conversation_id
    _say(person, "ben je er nog")
    console.locator("#transcript").filter(has_text="ben je er nog").wait_for(timeout=TIMEOUT_MS)
    console.screenshot(path=str(SCREENSHOTS / "console-conversation.png"))
    person.screenshot(path=str(SCREENSHOTS / "widget-with-counsellor.png"))

    # Hand back: the person is told, rates the conversation, and the bot answers again.
    console.get_by_role("button", name="Teruggeven aan de bot").click()
    person.locator(".ww-bot", has_text="weer met de chatbot").wait_for(timeout=TIMEOUT_MS)
    person.get_by_role("button", name="4 sterren").click()
    person.locator(".ww-bot", has_text="Bedankt voor je score").wait_for(timeout=TIMEOUT_MS)
    assert _slot(stack, conversation_id, "handoff_status") is None
    before = person.locator(".ww-bot").count()
    _say(person, "is lasser een knelpuntberoep?")
    person.locator(".ww-bot", has_text="knelpuntberoepen 2026").wait_for(timeout=TIMEOUT_MS)
    assert person.locator(".ww-bot").count() > before

    person_context.close()
    console.context.close()


def test_outside_opening_hours_the_bot_says_when_and_keeps_answering(browser, stack):
    hours = stack.settings.opening_hours_file
    opening = dt.date.today() + dt.timedelta(days=3)
    hours.write_text(
        "timezone: Europe/Brussels\nweekly: {}\n"
        f"exceptions:\n  {opening.isoformat()}: ['17:00-21:00']\n",
        encoding="utf-8",
    )
    try:
        context = browser.new_context()
        person = _open_widget(context, stack)
        _say(person, "ik wil met een mens praten")
        closed = person.locator(".ww-bot", has_text="De begeleiders zijn nu niet online")
        closed.wait_for(timeout=TIMEOUT_MS)
        assert f"{opening.day}/{opening.month} om 17.00 uur" in closed.inner_text()
        assert "1813" in closed.inner_text()
        assert person.locator(".ww-status").inner_text() == ""
        assert _slot(stack, _conversation_id(person), "handoff_status") is None
        _say(person, "is lasser een knelpuntberoep?")
        person.locator(".ww-bot", has_text="knelpuntberoepen 2026").wait_for(timeout=TIMEOUT_MS)
        context.close()
    finally:
        hours.write_text(ALWAYS_OPEN, encoding="utf-8")


def test_the_live_view_shows_the_bots_group_question_and_a_crisis_outside_hours(
    browser, stack, counsellor
):
    """The live view showed "groep onbekend · nog geen vraag" after the bot had set both;
    a crisis outside opening hours is not queued, yet the console must show it as urgent."""
    hours = stack.settings.opening_hours_file
    hours.write_text("timezone: Europe/Brussels\nweekly: {}\n", encoding="utf-8")
    try:
        context = browser.new_context()
        person = _open_widget(context, stack)
        _say(person, "ik ben werkloos sinds de fabriek dicht is en zoek werk")
        person.locator(".ww-bot", has_text="Schrijf je in bij VDAB").wait_for(timeout=TIMEOUT_MS)
        _say(person, "ik wil niet meer leven")
        person.locator(".ww-bot", has_text="1813").first.wait_for(timeout=TIMEOUT_MS)
        conversation_id = _conversation_id(person)
        assert _slot(stack, conversation_id, "handoff_status") is None  # not queued
        console = _console(browser, stack, counsellor)
        live = console.locator(f'#with-bot button[data-id="{conversation_id}"]')
        live.filter(has_text="DRINGEND").wait_for(timeout=TIMEOUT_MS)
        line = live.locator("strong").inner_text()
        assert line == "DRINGEND · werkzoekende · werk zoeken"
        summary = live.locator(".detail").last.inner_text()
        assert summary.startswith("CRISIS; taal: Nederlands; vragen: werk zoeken;")
        assert "Mijn Loopbaan (VDAB)" in summary and "_" not in summary  # services by name
        context.close()
        console.context.close()
    finally:
        hours.write_text(ALWAYS_OPEN, encoding="utf-8")


def test_widget_offers_the_browsers_language_then_labels_and_answers_follow(browser, stack):
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740})
    page = _open_widget(context, stack)  # Dutch first: the labels and the greeting
    assert page.get_by_label("Je bericht").is_visible()
    page.get_by_role("button", name="Continue in English").click()
    page.get_by_label("Your message").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_role("button", name="New conversation").is_visible()
    assert page.get_by_role("button", name="Continue in English").count() == 0
    page.locator(".ww-bot", has_text="I will write in English").wait_for(timeout=TIMEOUT_MS)
    assert _slot(stack, _conversation_id(page), "language") == "en"
    page.get_by_label("Your message").fill("where can I take Dutch lessons?")
    page.keyboard.press("Enter")
    # The answer in English, with the service's own Dutch name.
    page.locator(".ww-bot", has_text="who want to learn Dutch").first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".ww-bot", has_text="Huis van het Nederlands").count() >= 1
    page.reload()  # the choice stays with the conversation
    page.get_by_role("button", name="Chat with us").wait_for(timeout=TIMEOUT_MS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "widget-english.png"))
    page.get_by_role("button", name="New conversation").click()  # a new one starts in Dutch
    page.get_by_label("Je bericht").wait_for(timeout=TIMEOUT_MS)
    context.close()


def test_widget_labels_follow_a_language_the_person_writes_in(browser, stack):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = _open_widget(context, stack)
    page.get_by_label("Je bericht").fill(
        "Bonjour, je viens d'arriver en Belgique. Où est-ce que je peux apprendre le néerlandais ?"
    )
    page.keyboard.press("Enter")
    page.get_by_label("Votre message").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_role("button", name="Envoyer").is_visible()
    assert _slot(stack, _conversation_id(page), "language") == "fr"
    context.close()


def test_widget_says_more_than_an_hour_rather_than_a_precise_long_wait(browser, stack):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = _open_widget(context, stack)
    status = page.locator(".ww-status")
    for minutes, shown in ((12, "ongeveer 12 minuten"), (155, "meer dan een uur")):
        requests.post(
            f"{stack.settings.rasa_url}/webhooks/widget/signal",
            json={
                "conversation_id": _conversation_id(page),
                "signal": {
                    "type": "status",
                    "status": "queued",
                    "position": 31,
                    "minutes": minutes,
                },
            },
            headers={"Authorization": f"Bearer {stack.token}"},
            timeout=10,
        ).raise_for_status()
        status.filter(has_text=shown).wait_for(timeout=TIMEOUT_MS)
    assert "155" not in status.inner_text()
    context.close()


def test_widget_renders_typed_html_as_text_and_works_by_keyboard(browser, stack):
    context = browser.new_context()
    page = context.new_page()
    page.goto(stack.settings.web_url + "/")
    page.keyboard.press("Tab")  # the chat button is reachable by keyboard
    page.keyboard.press("Enter")
    page.locator(".ww-bot").first.wait_for(timeout=TIMEOUT_MS)
    assert page.evaluate("document.activeElement.id") == "ww-input"
    _say(page, '<img src=x onerror="window.hacked=1"><b>vet</b>')
    bubble = page.locator(".ww-person").last
    bubble.wait_for(timeout=TIMEOUT_MS)
    assert "<b>vet</b>" in bubble.inner_text()
    assert page.locator(".ww-person img").count() == 0
    assert page.evaluate("window.hacked === undefined")
    page.keyboard.press("Escape")
    assert page.locator("#ww-panel").is_hidden()
    assert page.evaluate("document.activeElement.className") == "ww-launcher"
    page.get_by_role("button", name="Chat met ons").click()
    page.get_by_role("button", name="Nieuw gesprek").click()
    assert page.locator(".ww-person").count() == 0
    context.close()


def _tracker_events(stack, conversation_id: str) -> str:
    tracker = requests.get(
        f"{stack.settings.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": stack.token},
        timeout=10,
    ).json()
    return str(tracker["events"])


def _events_once_stored(stack, conversation_id: str, text: str) -> str:
    """The tracker's events once ``text`` is among them: Rasa stores the tracker after the
    replies went out, so the page can show a reply before the message is stored."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    events = _tracker_events(stack, conversation_id)
    while text not in events and time.monotonic() < deadline:
        time.sleep(0.2)
        events = _tracker_events(stack, conversation_id)
    return events


def test_person_can_erase_their_conversation_from_the_widget(browser, stack):
    context = browser.new_context()
    page = _open_widget(context, stack)
    old_id = _conversation_id(page)
    _say(page, "mijn nummer is 0470 12 34 56, ik zoek werk")
    page.locator(".ww-bot").nth(1).wait_for(timeout=TIMEOUT_MS)
    events = _events_once_stored(stack, old_id, "ik zoek werk")
    assert "<telefoon>" in events and "0470" not in events
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Wis gesprek").click()
    page.locator(".ww-status", has_text="Je gesprek is gewist").wait_for(timeout=TIMEOUT_MS)
    assert _conversation_id(page) != old_id
    assert page.locator(".ww-person").count() == 0
    assert "ik zoek werk" not in _tracker_events(stack, old_id)
    context.close()


# Vectors from OWASP's XSS Filter Evasion Cheat Sheet, each setting window.__xss when it runs.
OWASP_PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<IMG SRC="javascript:window.__xss=2;">',
    "<IMG SRC=javascript:window.__xss=3>",
    '<IMG """><SCRIPT>window.__xss=4</SCRIPT>">',
    '<IMG SRC=# onmouseover="window.__xss=5">',
    '<IMG SRC=/ onerror="window.__xss=6"></img>',
    '<img src=x onerror="&#0000119;indow.__xss=7">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__xss=8>",
    '<IMG SRC="jav&#x09;ascript:window.__xss=9;">',
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=window.__xss=10>",
    "<<SCRIPT>window.__xss=11;//\\<</SCRIPT>",
    "<svg/onload=window.__xss=12>",
    "<svg><script>window.__xss=13</script></svg>",
    '<BODY BACKGROUND="javascript:window.__xss=14">',
    '<INPUT TYPE="IMAGE" SRC="javascript:window.__xss=15;">',
    '<IFRAME SRC="javascript:window.__xss=16;"></IFRAME>',
    '<TABLE BACKGROUND="javascript:window.__xss=17">',
    '<DIV STYLE="background-image: url(javascript:window.__xss=18)">',
    '<a href="javascript:window.__xss=19">klik</a>',
    "<details open ontoggle=window.__xss=20>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=21>",
    '"><img src=x onerror=window.__xss=22>',
    "'';!--\"<XSS>=&{()}",
    '<object data="javascript:window.__xss=23">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:window.__xss=24;">',
    "<marquee onstart=window.__xss=25>",
    "<input autofocus onfocus=window.__xss=26>",
    "<video><source onerror=window.__xss=27>",
]
INJECTED = "img, svg, script, iframe, object, input, video, marquee, details, table, a, meta, body"


def test_owasp_filter_evasion_payloads_stay_text_in_widget_and_console(browser, stack, counsellor):
    attack = " ".join(OWASP_PAYLOADS)
    person_context = browser.new_context()
    person = _open_widget(person_context, stack)
    conversation_id = _conversation_id(person)
    _say(person, "ik wil met een mens praten")
    person.get_by_role("button", name="Verder met de bot").wait_for(timeout=TIMEOUT_MS)
    _say(person, attack)
    person.locator(".ww-person", has_text="window.__xss=27").wait_for(timeout=TIMEOUT_MS)

    console = _console_with(browser, stack, counsellor, conversation_id)
    console.get_by_role("button", name="Gesprek overnemen").click()
    transcript = console.locator("#transcript")
    transcript.filter(has_text="window.__xss=27").wait_for(timeout=TIMEOUT_MS)

    # The counsellor's message and note carry the payloads too.
    console.get_by_label("Bericht aan de persoon").fill(attack)
    console.get_by_role("button", name="Verstuur").click()
    person.locator(".ww-counsellor", has_text="window.__xss=27").wait_for(timeout=TIMEOUT_MS)
    console.get_by_label("Nieuwe notitie").fill(attack)
    console.get_by_role("button", name="Notitie bewaren").click()
    console.locator("#notes", has_text="window.__xss=27").wait_for(timeout=TIMEOUT_MS)
    person.wait_for_timeout(500)

    for page in (person, console):
        assert page.evaluate("window.__xss === undefined")
    assert person.locator(f".ww-log :is({INJECTED})").count() == 0
    assert console.locator(f"#transcript :is({INJECTED}), #notes :is({INJECTED})").count() == 0
    shown = person.locator(".ww-log").inner_text()
    for marker in ("<script>window.__xss=1</script>", "<svg/onload=window.__xss=12>"):
        assert marker in shown and marker in transcript.inner_text()
    person_context.close()
    console.context.close()
