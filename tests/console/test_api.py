"""The console's JSON API as documented in docs/interfaces.md."""

from __future__ import annotations

import asyncio
import statistics
import time

import aiohttp
import pytest

import database
from handoff.queue import enqueue, note_bot_progress, record_activity
from tests.console.conftest import PASSWORD, login

WAITING = "w" * 22


def queue_conversation(
    url: str,
    conversation_id: str,
    priority: str = "normal",
    minute: int = 0,
    language: str = "nl",
    user_group: str | None = "werkzoekende",
):
    import datetime as dt

    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        enqueue(
            session, conversation_id, "widget", priority, user_group, "find_work",
            {"language": language, "asked": ["find_work"], "signposted": ["vdab"]},
            dt.datetime(2026, 11, 23, 17, minute),
        )  # fmt: skip


def other_session(client) -> aiohttp.ClientSession:
    """A second browser: its own cookie jar on the same server."""
    return aiohttp.ClientSession(
        base_url=str(client.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True)
    )


async def login_as(browser: aiohttp.ClientSession, username: str) -> str:
    """Log ``username`` in on another browser; the CSRF token."""
    async with browser.post(
        "/api/login", json={"username": username, "password": PASSWORD}
    ) as response:
        assert response.status == 200
        return (await response.json())["csrf_token"]


async def test_without_session_401_and_without_csrf_403(console):
    assert (await console.get("/api/queue")).status == 401
    assert (await console.post(f"/api/conversations/{WAITING}/claim")).status == 401
    await login(console)
    assert (await console.get("/api/queue")).status == 200
    response = await console.post(f"/api/conversations/{WAITING}/claim")
    assert response.status == 403
    response = await console.post(
        f"/api/conversations/{WAITING}/claim", headers={"X-CSRF-Token": "geraden"}
    )
    assert response.status == 403


async def test_login_cookie_is_httponly_and_strict(console):
    response = await console.post("/api/login", json={"username": "an", "password": PASSWORD})
    cookie = response.cookies["console_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert PASSWORD not in (await response.text())


async def _failed_login_time(client, username: str) -> tuple[int, dict, float]:
    started = time.perf_counter()
    response = await client.post("/api/login", json={"username": username, "password": "fout!"})
    return response.status, await response.json(), time.perf_counter() - started


async def test_wrong_credentials_same_answer_and_timing_for_unknown_users(console):
    known, unknown = [], []
    for _ in range(3):  # below the rate limit of five per user and address
        known.append(await _failed_login_time(console, "an"))
    for i in range(3):
        unknown.append(await _failed_login_time(console, f"niemand{i}"))
    assert {(s, str(b)) for s, b, _ in known} == {(s, str(b)) for s, b, _ in unknown}
    assert known[0][0] == 401
    known_time = statistics.median(t for _, _, t in known)
    unknown_time = statistics.median(t for _, _, t in unknown)
    # Both verify an Argon2id hash: the times differ by far less than a hash takes.
    assert 0.5 < known_time / unknown_time < 2.0


async def test_login_attempts_are_rate_limited(console):
    for _ in range(5):
        assert (await _failed_login_time(console, "bo"))[0] == 401
    response = await console.post("/api/login", json={"username": "bo", "password": PASSWORD})
    assert response.status == 429


async def test_queue_most_urgent_first_with_summary(console):
    queue_conversation(console.database_url, "n" * 22, minute=0)
    queue_conversation(console.database_url, "m" * 22, minute=5)
    queue_conversation(console.database_url, "k" * 22, priority="crisis", minute=9)
    await login(console)
    queue = await (await console.get("/api/queue")).json()
    assert [item["id"][0] for item in queue] == ["k", "n", "m"]
    first = queue[0]
    assert first["priority"] == "crisis" and first["user_group"] == "werkzoekende"
    assert first["topic"] == "find_work" and "doorverwezen naar: VDAB" in first["summary"]
    assert first["waiting_since"].startswith("2026-11-23T17:09")


async def test_the_queue_names_groups_and_questions_in_words(console):
    queue_conversation(console.database_url, "w" * 22, minute=0)
    await login(console)
    item = (await (await console.get("/api/queue")).json())[0]
    assert (item["user_group_label"], item["topic_label"]) == ("werkzoekende", "werk zoeken")
    assert "vragen: werk zoeken" in item["summary"] and "find_work" not in item["summary"]
    # Services by their names from the knowledge store, never their keys.
    assert "doorverwezen naar: VDAB" in item["summary"] and "vdab" not in item["summary"]
    queue_conversation(console.database_url, "b" * 22, minute=1, user_group=None)
    labels = {
        i["id"][0]: i["user_group_label"] for i in await (await console.get("/api/queue")).json()
    }
    assert labels["b"] == "groep onbekend"


async def test_the_live_view_shows_what_the_bot_knows_in_words_with_its_crisis_flag(console):
    """A conversation the bot still holds showed "groep onbekend · nog geen vraag"; a
    crisis outside opening hours is not queued, but the live view must flag it."""
    summary = {"language": "nl", "asked": ["occupation_prospects"], "signposted": ["vdab"]}
    url = console.database_url
    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        record_activity(session, "n" * 22, "widget")
        note_bot_progress(
            session, "n" * 22, "student_beroepsonderwijs", "occupation_prospects", summary,
            crisis=True,
        )  # fmt: skip
    await login(console)
    (item,) = (await (await console.get("/api/conversations")).json())["with_bot"]
    assert item["crisis"] and item["summary"].startswith("CRISIS")
    assert item["user_group_label"] == "leerling/student beroepsopleiding of duaal"
    assert item["topic_label"] == "kansen op werk in een beroep"
    assert "vragen: kansen op werk in een beroep" in item["summary"]
    assert "doorverwezen naar: VDAB" in item["summary"] and "_" not in item["summary"]


async def test_the_queue_tells_the_conversations_language(console):
    queue_conversation(console.database_url, "e" * 22, language="en")
    queue_conversation(console.database_url, "d" * 22, minute=1)
    await login(console)
    summaries = {
        item["id"][0]: item["summary"] for item in await (await console.get("/api/queue")).json()
    }
    assert "taal: Engels" in summaries["e"] and "taal: Nederlands" in summaries["d"]


async def test_many_concurrent_claims_one_wins(console):
    queue_conversation(console.database_url, WAITING)
    browsers = [other_session(console) for _ in range(3)]
    try:
        tokens = []
        for browser, name in zip(browsers, ("an", "bo", "cas"), strict=True):
            async with browser.post(
                "/api/login", json={"username": name, "password": PASSWORD}
            ) as response:
                tokens.append((await response.json())["csrf_token"])

        async def claim(browser, token):
            async with browser.post(
                f"/api/conversations/{WAITING}/claim", headers={"X-CSRF-Token": token}
            ) as response:
                return response.status

        statuses = await asyncio.gather(
            *(claim(b, t) for _ in range(5) for b, t in zip(browsers, tokens, strict=True))
        )
    finally:
        for browser in browsers:
            await browser.close()
    assert sorted(statuses) == [200] + [409] * 14
    fake = console.fake_rasa
    assert [c[3] for c in fake.paths("/execute")] == [{"name": "utter_counsellor_joined"}]
    appended = [event for call in fake.paths("/tracker/events") for event in call[3]]
    assert appended[0] == {"event": "action", "name": "action_listen"}
    assert {"event": "pause"} in appended
    assert {"event": "slot", "name": "handoff_status", "value": "with_counsellor"} in appended


async def test_messages_notes_handback(console):
    queue_conversation(console.database_url, WAITING)
    csrf = await login(console, "an")
    headers = {"X-CSRF-Token": csrf}
    path = f"/api/conversations/{WAITING}"
    # Not yours yet: no messages.
    assert (
        await console.post(f"{path}/messages", json={"text": "hoi"}, headers=headers)
    ).status == 409
    assert (await console.post(f"{path}/claim", headers=headers)).status == 200
    response = await console.post(
        f"{path}/messages", json={"text": "Dag, ik ben An."}, headers=headers
    )
    assert response.status == 200
    delivered = console.fake_rasa.paths("/tracker/events")[-1]
    assert delivered[2]["output_channel"] == "latest"
    assert delivered[3] == [
        {"event": "bot", "text": "Dag, ik ben An.", "data": {"custom": {"from": "counsellor"}}}
    ]
    assert (
        await console.post(f"{path}/messages", json={"text": ""}, headers=headers)
    ).status == 400
    note = await console.post(f"{path}/notes", json={"text": "Vraagt naar VDAB."}, headers=headers)
    assert note.status == 201
    details = await (await console.get(path)).json()
    assert details["status"] == "with_counsellor" and details["claimed_by"] == "an"
    assert details["notes"][0]["text"] == "Vraagt naar VDAB."
    assert details["signposted"] == ["VDAB"]  # by name, not the store's key
    assert [m["text"] for m in details["transcript"]] == ["Dag, ik ben An."]  # events of the fake
    assert details["transcript"][0]["from"] == "counsellor"

    assert (await console.post(f"{path}/handback", headers=headers)).status == 200
    assert console.fake_rasa.paths("/execute")[-1][3] == {"name": "utter_handback"}
    assert {"event": "resume"} in console.fake_rasa.paths("/tracker/events")[-2][3]
    # Handed back, it is no longer an's: closing it now takes a supervisor.
    assert (await console.post(f"{path}/close", headers=headers)).status == 403
    async with other_session(console) as supervisor:
        token = await login_as(supervisor, "sam")
        async with supervisor.post(f"{path}/close", headers={"X-CSRF-Token": token}) as closed:
            assert closed.status == 200
    assert console.fake_rasa.paths("/execute")[-1][3] == {"name": "utter_conversation_closed"}


async def test_transcript_is_redacted(console):
    queue_conversation(console.database_url, WAITING)
    console.fake_rasa.events[WAITING] = [
        {
            "event": "user",
            "text": "mail me op an.peeters@example.com of 0470 12 34 56",
            "timestamp": 1,
        }
    ]
    csrf = await login(console)
    await console.post(f"/api/conversations/{WAITING}/claim", headers={"X-CSRF-Token": csrf})
    details = await (await console.get(f"/api/conversations/{WAITING}")).json()
    text = details["transcript"][0]["text"]
    assert "example.com" not in text and "0470" not in text
    assert "<email>" in text and "<telefoon>" in text


async def test_stream_checks_origin_and_pushes_queue_changes(console):
    await login(console)
    response = await console.get("/api/stream", headers={"Origin": "http://evil.example"})
    assert response.status == 403
    origin = f"http://{console.host}:{console.port}"
    async with console.ws_connect("/api/stream", headers={"Origin": origin}) as socket:
        first = await socket.receive_json(timeout=5)
        assert first["type"] == "overview" and first["queue"] == []
        queue_conversation(console.database_url, WAITING)
        deadline = time.monotonic() + 5
        update = {"queue": []}
        while not update["queue"] and time.monotonic() < deadline:
            update = await socket.receive_json(timeout=5)
        assert update["type"] == "overview" and update["queue"][0]["id"] == WAITING


async def test_stream_needs_a_session(console):
    origin = f"http://{console.host}:{console.port}"
    response = await console.get("/api/stream", headers={"Origin": origin})
    assert response.status == 401


async def test_pages_have_a_content_security_policy(console):
    for path in ("/", "/console/", "/widget.js"):
        response = await console.get(path)
        assert response.status == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    demo = await (await console.get("/")).text()
    assert "{{" not in demo and "/webhooks/widget/ws" in demo


async def test_counsellor_sends_a_signposting_card_from_the_store(console):
    queue_conversation(console.database_url, WAITING)
    csrf = await login(console)
    headers = {"X-CSRF-Token": csrf}
    services = await (await console.get("/api/services?group=werkzoekende")).json()
    assert services[0]["for_group"] and {"vdab", "naric"} <= {s["key"] for s in services}
    path = f"/api/conversations/{WAITING}"
    assert (
        await console.post(f"{path}/cards", json={"service": "vdab"}, headers=headers)
    ).status == 409
    assert (await console.post(f"{path}/claim", headers=headers)).status == 200
    response = await console.post(f"{path}/cards", json={"service": "vdab"}, headers=headers)
    assert response.status == 200
    sent = console.fake_rasa.paths("/tracker/events")[-1][3][0]
    assert sent["data"]["custom"]["from"] == "counsellor"
    assert sent["text"].startswith("VDAB: ") and "0800 30 700" in sent["text"]
    assert "(bron: " in sent["text"] and "stand 09/2024" in sent["text"]
    unknown = await console.post(f"{path}/cards", json={"service": "nope"}, headers=headers)
    assert unknown.status == 400


@pytest.mark.parametrize("soft_limit_minutes", [0])
async def test_soft_time_limit_reminds_the_counsellor(console):
    queue_conversation(console.database_url, WAITING)
    csrf = await login(console)
    origin = f"http://{console.host}:{console.port}"
    async with console.ws_connect("/api/stream", headers={"Origin": origin}) as socket:
        await console.post(f"/api/conversations/{WAITING}/claim", headers={"X-CSRF-Token": csrf})
        deadline = time.monotonic() + 5
        frame = {}
        while frame.get("type") != "reminder" and time.monotonic() < deadline:
            frame = await socket.receive_json(timeout=5)
        assert frame == {"type": "reminder", "id": WAITING, "minutes": 0}


async def test_quick_replies_come_in_the_conversations_language(console):
    queue_conversation(console.database_url, "f" * 22, language="fr")
    queue_conversation(console.database_url, "g" * 22, minute=1)
    await login(console, "sam")  # a supervisor reads conversations in the queue
    french = await (await console.get("/api/conversations/" + "f" * 22)).json()
    dutch = await (await console.get("/api/conversations/" + "g" * 22)).json()
    assert french["language"] == "fr" and dutch["language"] == "nl"
    assert any("Bonjour" in text for text in french["quick_replies"])
    assert any("Dag" in text for text in dutch["quick_replies"])
    assert not set(french["quick_replies"]) & set(dutch["quick_replies"])


async def test_note_is_stored_redacted(console):
    queue_conversation(console.database_url, WAITING)
    csrf = await login(console, "an")
    headers = {"X-CSRF-Token": csrf}
    path = f"/api/conversations/{WAITING}"
    assert (await console.post(f"{path}/claim", headers=headers)).status == 200
    note = "bel Jan Peeters op 0470 12 34 56"
    assert (await console.post(f"{path}/notes", json={"text": note}, headers=headers)).status == 201
    with database.opened(console.database_url) as engine, engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT text FROM handoff_notes").scalars().all()
    assert stored == ["bel <naam> op <telefoon>"]
