"""Roles and who may read what (issue 14, items 1 and 2): every rule's 403 and the audit log."""

from __future__ import annotations

import asyncio
import datetime as dt

import database
from handoff.models import AuditEntry, Counsellor
from handoff.queue import record_activity
from tests.console.conftest import PASSWORD, login
from tests.console.test_api import WAITING, login_as, other_session, queue_conversation

BOT_ONLY = "b" * 22


def _audit(url: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """(action, who, conversation, account) of every audit entry, oldest first."""
    with database.opened(url) as engine, database.session_factory(engine)() as session:
        names = dict(session.query(Counsellor.id, Counsellor.username).all())
        return [
            (e.action, names.get(e.counsellor_id), e.conversation_id, names.get(e.account_id))
            for e in session.query(AuditEntry).order_by(AuditEntry.id)
        ]


def _bot_conversation(url: str, conversation_id: str = BOT_ONLY) -> None:
    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        record_activity(session, conversation_id, "widget")


async def _error(response) -> tuple[int, str]:
    return response.status, (await response.json())["error"]


async def test_a_counsellor_reads_only_the_conversations_it_holds(console):
    queue_conversation(console.database_url, WAITING)
    _bot_conversation(console.database_url)
    csrf = await login(console, "an")
    path = f"/api/conversations/{WAITING}"
    status, error = await _error(await console.get(path))
    assert status == 403 and "pas als je het overneemt" in error
    status, error = await _error(await console.get(f"/api/conversations/{BOT_ONLY}"))
    assert status == 403 and "alleen een supervisor" in error
    queue = await (await console.get("/api/queue")).json()
    assert queue[0]["summary"] and "transcript" not in queue[0]  # summaries only
    assert (await console.post(f"{path}/claim", headers={"X-CSRF-Token": csrf})).status == 200
    assert (await console.get(path)).status == 200
    async with other_session(console) as other:
        await login_as(other, "bo")
        async with other.get(path) as response:
            status, error = await _error(response)
    assert status == 403 and "bij een andere begeleider" in error
    assert [entry[:3] for entry in _audit(console.database_url) if entry[0].startswith("read")] == [
        ("read_refused", "an", WAITING),
        ("read_refused", "an", BOT_ONLY),
        ("read", "an", WAITING),
        ("read_refused", "bo", WAITING),
    ]


async def test_a_supervisor_reads_any_active_conversation_read_only(console):
    queue_conversation(console.database_url, WAITING)
    _bot_conversation(console.database_url)
    an_csrf = await login(console, "an")
    await console.post(f"/api/conversations/{WAITING}/claim", headers={"X-CSRF-Token": an_csrf})
    async with other_session(console) as supervisor:
        csrf = await login_as(supervisor, "sam")
        headers = {"X-CSRF-Token": csrf}
        for conversation_id in (WAITING, BOT_ONLY):
            async with supervisor.get(f"/api/conversations/{conversation_id}") as response:
                assert response.status == 200
                assert (await response.json())["read_only"]
        async with supervisor.post(
            f"/api/conversations/{WAITING}/messages", json={"text": "hallo"}, headers=headers
        ) as response:
            status, error = await _error(response)
        assert status == 403 and "andere begeleider" in error
    reads = [e[:3] for e in _audit(console.database_url) if e[0] == "read"]
    assert reads == [("read", "sam", WAITING), ("read", "sam", BOT_ONLY)]


async def test_nobody_opens_a_finished_conversation(console):
    queue_conversation(console.database_url, WAITING)
    csrf = await login(console, "sam")
    headers = {"X-CSRF-Token": csrf}
    assert (
        await console.post(f"/api/conversations/{WAITING}/close", headers=headers)
    ).status == 200
    status, error = await _error(await console.get(f"/api/conversations/{WAITING}"))
    assert status == 403 and "loopt niet meer" in error
    # A bot conversation quiet for more than half an hour is no longer active either.
    with (
        database.opened(console.database_url) as engine,
        database.session_factory(engine).begin() as session,
    ):
        record_activity(session, BOT_ONLY, "widget", dt.datetime(2026, 1, 1))
    assert (await console.get(f"/api/conversations/{BOT_ONLY}")).status == 403


async def test_only_a_supervisor_takes_over_a_conversation_still_with_the_bot(console):
    _bot_conversation(console.database_url)
    path = f"/api/conversations/{BOT_ONLY}/claim"
    csrf = await login(console, "an")
    status, error = await _error(await console.post(path, headers={"X-CSRF-Token": csrf}))
    assert status == 403 and "alleen een supervisor" in error
    async with other_session(console) as supervisor:
        token = await login_as(supervisor, "sam")
        async with supervisor.post(path, headers={"X-CSRF-Token": token}) as response:
            assert response.status == 200


async def test_notes_and_closing_need_the_claim_or_a_supervisor(console):
    queue_conversation(console.database_url, WAITING, priority="crisis")
    path = f"/api/conversations/{WAITING}"
    csrf = await login(console, "an")
    headers = {"X-CSRF-Token": csrf}
    status, error = await _error(
        await console.post(f"{path}/notes", json={"text": "let op"}, headers=headers)
    )
    assert status == 403 and "Een notitie maakt alleen" in error
    status, error = await _error(await console.post(f"{path}/close", headers=headers))
    assert status == 403 and "Afsluiten kan alleen" in error
    async with other_session(console) as supervisor:
        token = await login_as(supervisor, "sam")
        sam = {"X-CSRF-Token": token}
        async with supervisor.post(f"{path}/notes", json={"text": "crisis"}, headers=sam) as r:
            assert r.status == 201
        async with supervisor.post(f"{path}/close", headers=sam) as r:  # a queued crisis
            assert r.status == 200
    assert ("close", "sam", WAITING, None) in _audit(console.database_url)


async def test_a_supervisor_whispers_to_the_counsellor_only(console):
    queue_conversation(console.database_url, WAITING)
    path = f"/api/conversations/{WAITING}"
    csrf = await login(console, "an")
    async with other_session(console) as supervisor:
        token = await login_as(supervisor, "sam")
        sam = {"X-CSRF-Token": token}
        async with supervisor.post(f"{path}/whisper", json={"text": "vraag"}, headers=sam) as r:
            assert r.status == 409  # nobody holds it yet
        await console.post(f"{path}/claim", headers={"X-CSRF-Token": csrf})
        origin = {"Origin": f"http://{console.host}:{console.port}"}
        async with console.ws_connect("/api/stream", headers=origin) as socket:
            async with supervisor.post(
                f"{path}/whisper", json={"text": "Vraag naar school."}, headers=sam
            ) as r:
                assert r.status == 201
            frame = {}
            while frame.get("type") != "whisper":
                frame = await socket.receive_json(timeout=5)
        assert frame == {
            "type": "whisper",
            "id": WAITING,
            "by": "sam",
            "text": "Vraag naar school.",
        }
        notes = (await (await console.get(path)).json())["notes"]
        assert notes[0]["whisper"] and notes[0]["by"] == "sam"
    async with other_session(console) as other:
        bo = {"X-CSRF-Token": await login_as(other, "bo")}
        async with other.post(f"{path}/whisper", json={"text": "x"}, headers=bo) as r:
            status, error = await _error(r)
    assert status == 403 and "Alleen een supervisor" in error
    async with other_session(console) as other:  # another supervisor does not see it
        await login_as(other, "ada")
        async with other.get(path) as r:
            assert (await r.json())["notes"] == []


async def test_transcripts_reach_only_the_holders_socket(console):
    queue_conversation(console.database_url, WAITING)
    console.fake_rasa.events[WAITING] = [{"event": "user", "text": "hallo", "timestamp": 1}]
    csrf = await login(console, "an")
    origin = {"Origin": f"http://{console.host}:{console.port}"}
    async with other_session(console) as other:
        await login_as(other, "bo")
        async with (
            console.ws_connect("/api/stream", headers=origin) as mine,
            other.ws_connect("/api/stream", headers=origin) as theirs,
        ):
            await console.post(
                f"/api/conversations/{WAITING}/claim", headers={"X-CSRF-Token": csrf}
            )
            await asyncio.sleep(0.6)  # the watcher has seen the first message
            console.fake_rasa.events[WAITING].append(
                {"event": "user", "text": "nog iets", "timestamp": 2}
            )
            frame = {}
            while frame.get("type") != "messages":
                frame = await mine.receive_json(timeout=5)
            assert frame["messages"][-1]["text"] == "nog iets"
            received = []
            try:
                while True:
                    received.append((await theirs.receive_json(timeout=1.5))["type"])
            except asyncio.TimeoutError:
                pass
            assert "messages" not in received


async def test_admins_manage_accounts_and_others_get_403(console):
    csrf = await login(console, "ada")
    headers = {"X-CSRF-Token": csrf}
    created = await console.post(
        "/api/accounts",
        json={"username": "nieuw", "password": PASSWORD, "role": "supervisor"},
        headers=headers,
    )
    assert created.status == 201 and (await created.json())["role_label"] == "supervisor"
    again = await console.post(
        "/api/accounts", json={"username": "nieuw", "password": PASSWORD}, headers=headers
    )
    assert await _error(again) == (400, "Die gebruikersnaam bestaat al.")
    short = await console.post(
        "/api/accounts/nieuw/password", json={"password": "kort"}, headers=headers
    )
    assert short.status == 400
    role = await console.post("/api/accounts/nieuw/role", json={"role": "admin"}, headers=headers)
    assert (await role.json())["role"] == "admin"
    assert (await console.post("/api/accounts/ada/disable", headers=headers)).status == 403
    assert (await console.post("/api/accounts/niemand/disable", headers=headers)).status == 404
    assert (await console.post("/api/accounts/bo/disable", headers=headers)).status == 200
    assert (await console.post("/api/accounts/bo/enable", headers=headers)).status == 200
    reset = await console.post(
        "/api/accounts/bo/password", json={"password": "nog een lang wachtwoord"}, headers=headers
    )
    assert reset.status == 200
    listed = await (await console.get("/api/accounts")).json()
    assert {a["username"]: a["role"] for a in listed["accounts"]}["sam"] == "supervisor"
    account_actions = [(e[0], e[1], e[3]) for e in _audit(console.database_url) if e[3]]
    assert account_actions == [
        ("account_created", "ada", "nieuw"),
        ("role_admin", "ada", "nieuw"),
        ("account_disabled", "ada", "bo"),
        ("account_enabled", "ada", "bo"),
        ("password_reset", "ada", "bo"),
    ]
    for name in ("an", "sam"):
        async with other_session(console) as other:
            token = await login_as(other, name)
            async with other.get("/api/accounts") as r:
                assert await _error(r) == (403, "Alleen een beheerder kan accounts beheren.")
            async with other.post("/api/accounts/bo/disable", headers={"X-CSRF-Token": token}) as r:
                assert r.status == 403


async def test_me_tells_the_role(console):
    await login(console, "sam")
    me = await (await console.get("/api/me")).json()
    assert (me["username"], me["role"], me["role_label"]) == ("sam", "supervisor", "supervisor")
    response = await console.post("/api/login", json={"username": "ada", "password": PASSWORD})
    assert (await response.json())["role"] == "admin"
