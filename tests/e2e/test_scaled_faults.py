"""The scaled set-up under faults, with this machine's real PostgreSQL and Redis.

Two messages of one conversation at the same time, Redis and PostgreSQL stopped and
started again, a Rasa worker killed: no message is answered as received and then lost,
and the service recovers by itself. These tests stop the machine's servers and start
them again, and break their own stack, so they get one of their own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from channels.texts import response_text
from tests.e2e.conftest import Assistant, running_scaled_stack
from tests.e2e.services import (
    require_service_control,
    start_postgres,
    start_redis,
    stop_postgres,
    stop_redis,
)
from tests.e2e.test_rest_conversations import texts
from tests.widget_socket import open_conversation

pytestmark = pytest.mark.e2e

DATABASE = "wegwijzer_e2e_faults"
REDIS_URL = "redis://127.0.0.1:6379/6"
RECOVERY_S = 15.0


@pytest.fixture(scope="module")
def faulty_stack(model_path, tmp_path_factory, fake_telegram):
    require_service_control()
    yield from running_scaled_stack(
        model_path, tmp_path_factory.mktemp("scaled-faults"), fake_telegram.url, DATABASE, REDIS_URL
    )


def _post(stack, sender: str, message: str) -> list[dict] | None:
    """The replies, or None when the request failed (not acknowledged)."""
    try:
        response = requests.post(
            f"{stack.settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=30,
        )
    except requests.RequestException:
        return None
    return response.json() if response.status_code == 200 else None


def _acknowledged(replies: list[dict] | None) -> bool:
    """Answered as received: a reply, and not the 'send it again' answer."""
    return bool(replies) and response_text("utter_not_received") not in texts(replies)


def _stored_user_texts(person: Assistant) -> list[str]:
    return [e["text"] for e in person.tracker()["events"] if e["event"] == "user"]


def _until_acknowledged(stack, sender: str, message: str) -> float:
    """Seconds until the message is answered as received; fails after RECOVERY_S."""
    started = time.monotonic()
    while time.monotonic() - started < RECOVERY_S:
        if _acknowledged(_post(stack, sender, message)):
            return time.monotonic() - started
        time.sleep(0.25)
    pytest.fail(f"not recovered within {RECOVERY_S:.0f} s")


def test_two_messages_at_once_are_handled_in_order_once_each(faulty_stack):
    for _ in range(6):
        person = Assistant(stack=faulty_stack, sender=uuid.uuid4().hex)
        messages = {"hallo": "anoniem", "is dakwerker een knelpuntberoep?": "dakwerker"}
        with ThreadPoolExecutor(max_workers=2) as pool:
            sent = {m: pool.submit(_post, faulty_stack, person.sender, m) for m in messages}
            replies = {m: future.result() for m, future in sent.items()}
        for message, marker in messages.items():
            own = texts(replies[message]).lower()
            other = next(m for k, m in messages.items() if k != message)
            assert marker in own and other not in own, (message, own)
        events = person.tracker()["events"]
        assert sorted(_stored_user_texts(person)) == sorted(messages)
        # A whole turn (user message up to the bot listening again) before the next one.
        turns = [
            e["event"] if e["event"] == "user" else "listen"
            for e in events
            if e["event"] == "user" or e.get("name") == "action_listen"
        ]
        assert turns[-4:] == ["user", "listen", "user", "listen"], turns


def test_redis_stopped_and_started_again(faulty_stack):
    person = Assistant(stack=faulty_stack, sender=uuid.uuid4().hex)
    assert _acknowledged(_post(faulty_stack, person.sender, "hallo"))
    stop_redis()
    try:
        during = _post(faulty_stack, person.sender, "ik zit in het 6de jaar aso")
        assert during is not None and response_text("utter_not_received") in texts(during)
    finally:
        start_redis()
    seconds = _until_acknowledged(faulty_stack, person.sender, "is dakwerker een knelpuntberoep?")
    print(f"recovered {seconds:.1f} s after Redis was back")
    stored = _stored_user_texts(person)
    assert stored == ["hallo", "is dakwerker een knelpuntberoep?"]  # the refused one is not kept


def test_widget_delivery_resumes_after_a_redis_restart(faulty_stack):
    """The signal lands on either worker and reaches the socket through Redis pub/sub."""
    import asyncio
    import json

    import aiohttp

    settings = faulty_stack.settings
    signal_url = f"{settings.rasa_url}/webhooks/widget/signal"
    headers = {"Authorization": f"Bearer {faulty_stack.token}"}

    async def delivered(
        http: aiohttp.ClientSession, widget, conversation: str, marker: str
    ) -> bool:
        body = {"conversation_id": conversation, "signal": {"type": "queue", "place": marker}}
        try:
            async with http.post(signal_url, json=body, headers=headers) as response:
                if response.status != 200:
                    return False
        except aiohttp.ClientError:
            return False
        try:
            while True:
                frame = json.loads((await widget.receive(timeout=1)).data)
                if frame.get("place") == marker:
                    return True
        except asyncio.TimeoutError:
            return False

    async def run() -> float:
        socket_url = settings.rasa_url.replace("http", "ws", 1) + "/webhooks/widget/ws"
        async with aiohttp.ClientSession() as http:
            widget, conversation = await open_conversation(http, socket_url)
            assert await delivered(http, widget, conversation, "voor")
            stop_redis()
            start_redis()
            started = time.monotonic()
            attempt = 0
            while not await delivered(http, widget, conversation, f"na-{attempt}"):
                attempt += 1
                assert time.monotonic() - started < RECOVERY_S, "pub/sub did not come back"
            # and every later signal arrives, whichever worker takes it
            for i in range(6):
                assert await delivered(http, widget, conversation, f"daarna-{i}")
            await widget.close()
            return time.monotonic() - started

    try:
        print(f"widget delivery back {asyncio.run(run()):.1f} s after Redis was back")
    finally:
        start_redis()


def test_postgresql_stopped_and_started_again(faulty_stack):
    person = Assistant(stack=faulty_stack, sender=uuid.uuid4().hex)
    assert _acknowledged(_post(faulty_stack, person.sender, "ik werk als verpleegkundige"))
    stop_postgres()
    try:
        during = [_post(faulty_stack, person.sender, "ik zit in 6 aso") for _ in range(3)]
        refused = response_text("utter_not_received")
        assert all(r is not None and refused in texts(r) for r in during)
    finally:
        start_postgres(faulty_stack.settings.database_url)
    seconds = _until_acknowledged(faulty_stack, person.sender, "wie kan me helpen?")
    print(f"recovered {seconds:.1f} s after PostgreSQL was back")
    assert _stored_user_texts(person) == ["ik werk als verpleegkundige", "wie kan me helpen?"]
    assert person.slot("user_group") == "werkende"  # the conversation goes on where it was


def _rasa_workers(stack) -> list[int]:
    """The Sanic worker processes of the Rasa server (children running the same command)."""
    main = stack.processes[1].pid
    children = subprocess.run(
        ["pgrep", "-P", str(main)], capture_output=True, text=True, check=False
    ).stdout.split()
    command = Path(f"/proc/{main}/cmdline").read_bytes()
    return [int(pid) for pid in children if Path(f"/proc/{pid}/cmdline").read_bytes() == command]


def test_a_killed_rasa_worker_loses_no_acknowledged_message(faulty_stack):
    """Runs last: it leaves the stack with one worker."""
    workers = _rasa_workers(faulty_stack)
    assert len(workers) == 2, workers
    person = Assistant(stack=faulty_stack, sender=uuid.uuid4().hex)
    script = [
        "ik werk als verpleegkundige",
        "ik wil iets anders doen",
        "is dakwerker een knelpuntberoep?",
        "wie kan me helpen?",
        "is dit gesprek anoniem?",
        "hoeveel verdient een lasser?",
    ]
    acknowledged = []
    for i, message in enumerate(script):
        if i == 2:
            os.kill(workers[0], signal.SIGKILL)
        if _acknowledged(_post(faulty_stack, person.sender, message)):
            acknowledged.append(message)
    assert len(acknowledged) >= len(script) - 1  # at most the one in flight on the killed worker
    assert [t for t in _stored_user_texts(person) if t in acknowledged] == acknowledged
    assert person.slot("user_group") == "werkende"
    assert faulty_stack.processes[1].poll() is None  # the server itself is still there
