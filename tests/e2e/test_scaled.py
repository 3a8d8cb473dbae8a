"""The scaled set-up on this machine's PostgreSQL and Redis: several Rasa workers share
conversations (PostgreSQL tracker, Redis locks) and counsellor messages reach the widget
whichever worker holds its socket (Redis pub/sub)."""

from __future__ import annotations

import asyncio
import json
import uuid

import aiohttp
import pytest
from sqlalchemy import create_engine, text

from handoff.accounts import add_counsellor
from tests.e2e.conftest import Assistant, running_scaled_stack
from tests.widget_socket import open_conversation

pytestmark = pytest.mark.e2e

DATABASE = "wegwijzer_e2e_scaled"
REDIS_URL = "redis://127.0.0.1:6379/5"
PASSWORD = "een lang genoeg wachtwoord"


@pytest.fixture(scope="module")
def scaled_stack(model_path, tmp_path_factory, fake_telegram):
    yield from running_scaled_stack(
        model_path, tmp_path_factory.mktemp("scaled"), fake_telegram.url, DATABASE, REDIS_URL
    )


def _console_session(web_url: str, username: str):
    """A counsellor logged in over the console API: the HTTP session and the CSRF token."""
    import requests

    session = requests.Session()
    csrf = session.post(
        f"{web_url}/api/login",
        json={"username": username, "password": PASSWORD},
        timeout=10,
    ).json()["csrf_token"]
    return session, csrf


def test_conversation_state_lives_in_postgresql(scaled_stack):
    person = Assistant(stack=scaled_stack, sender=uuid.uuid4().hex)
    person.say("ik werk als verpleegkundige")
    assert "Loopbaancentrum" in json.dumps(person.say("wie kan me helpen om iets anders te doen?"))
    engine = create_engine(scaled_stack.settings.database_url)
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": person.sender}
        ).scalar()
    engine.dispose()
    assert stored > 4
    assert person.slot("user_group") == "werkende"


def test_counsellor_messages_reach_the_widget_across_workers(scaled_stack):
    settings = scaled_stack.settings
    add_counsellor(settings.handoff_url, "geschaald", PASSWORD)

    async def run() -> int:
        socket_url = settings.rasa_url.replace("http", "ws", 1) + "/webhooks/widget/ws"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            widget, conversation = await open_conversation(http, socket_url)
            await widget.send_json({"type": "message", "text": "ik wil met een mens praten"})
            async with http.post(
                f"{settings.web_url}/api/login",
                json={"username": "geschaald", "password": PASSWORD},
            ) as response:
                csrf = (await response.json())["csrf_token"]
            headers = {"X-CSRF-Token": csrf}
            api = f"{settings.web_url}/api/conversations/{conversation}"
            for _ in range(100):
                async with http.post(f"{api}/claim", headers=headers) as response:
                    if response.status == 200:
                        break
                await asyncio.sleep(0.1)
            received = 0
            for i in range(12):
                body = {"text": f"bericht {i}"}
                async with http.post(f"{api}/messages", json=body, headers=headers) as response:
                    assert response.status == 200
                while True:
                    frame = json.loads((await widget.receive(timeout=10)).data)
                    if frame.get("type") == "message" and frame.get("text") == f"bericht {i}":
                        received += 1
                        break
            await widget.close()
            return received

    assert asyncio.run(run()) == 12


def test_telegram_handoff_across_workers(scaled_stack, fake_telegram):
    import requests

    from channels.telegram import conversation_id
    from tests.e2e.conftest import ID_KEYS, TELEGRAM_SECRET

    settings = scaled_stack.settings
    chat = 700_000_000 + uuid.uuid4().int % 10**8
    update = {
        "update_id": uuid.uuid4().int % 10**9,
        "message": {"message_id": 1, "date": 0, "chat": {"id": chat, "type": "private"},
                    "text": "/mens"},
    }  # fmt: skip
    webhook = f"{settings.rasa_url}/webhooks/telegram/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    assert requests.post(webhook, json=update, headers=headers, timeout=30).status_code == 200
    assert requests.post(webhook, json=update, headers=headers, timeout=30).status_code == 200
    queued = [p for p in fake_telegram.sent(chat) if "wachtrij" in p["text"]]
    assert len(queued) == 1  # the redelivered update was handled once, by either worker

    add_counsellor(settings.handoff_url, "tg-geschaald", PASSWORD)
    console, csrf = _console_session(settings.web_url, "tg-geschaald")
    api = f"{settings.web_url}/api/conversations/{conversation_id(chat, ID_KEYS)}"
    assert console.post(f"{api}/claim", headers={"X-CSRF-Token": csrf}).status_code == 200
    for i in range(8):
        reply = console.post(
            f"{api}/messages", json={"text": f"tg-bericht {i}"}, headers={"X-CSRF-Token": csrf}
        )
        assert reply.status_code == 200
    texts = [p["text"] for p in fake_telegram.sent(chat)]
    assert all(any(f"tg-bericht {i}" in t for t in texts) for i in range(8))


def test_a_second_web_server_serves_the_same_console_sessions(scaled_stack):
    """The web server keeps its sessions in the database: a second process behind the same
    address accepts the session of the first."""
    import subprocess

    import requests

    from ops.processes import free_port, stop_processes, wait_until_ready

    settings = scaled_stack.settings
    add_counsellor(settings.handoff_url, "tweede-server", PASSWORD)
    port = free_port()
    options = dict(scaled_stack.spawn_options)
    options["env"] = {**options["env"], "WEB_PORT": str(port)}
    second = subprocess.Popen(scaled_stack.processes[2].args, **options)
    try:
        scaled_stack.processes.append(second)
        wait_until_ready(f"http://127.0.0.1:{port}/", scaled_stack)
        first, csrf = _console_session(settings.web_url, "tweede-server")
        other = requests.Session()
        other.cookies.update(first.cookies)
        assert other.get(f"http://127.0.0.1:{port}/api/queue", timeout=10).status_code == 200
        response = other.post(
            f"http://127.0.0.1:{port}/api/logout", headers={"X-CSRF-Token": csrf}, timeout=10
        )
        assert response.status_code == 200
        assert first.get(f"{settings.web_url}/api/queue", timeout=10).status_code == 401
    finally:
        scaled_stack.processes.remove(second)
        stop_processes([second])
