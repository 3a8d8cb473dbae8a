"""Random and hostile text through every channel: a reply or a clear refusal, never a 500.

Hypothesis generates the text; every example is a fresh conversation, and after the run
each channel still answers a normal question.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import uuid

import aiohttp
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import TELEGRAM_SECRET
from tests.widget_socket import handshake

pytestmark = pytest.mark.e2e

HOSTILE = [
    "",
    "   \t\n ",
    "\x00\x01\x02\x1b[31m",
    "\u202e\u2066gevaarlijk\u2069",
    "🙂" * 50,
    "' OR 1=1; --",
    "{{ config }} {% raw %} ${jndi:ldap://x}",
    "<img src=x onerror=alert(1)>",
    '/inform_user_group{"user_group": "werkende"',
    "ا لسلام عليكم، أبحث عن عمل",
    "x" * 5000,
]
texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60),
)
# Hypothesis resets the random module for every example: ids come from a counter instead.
_ids = itertools.count(secrets.randbelow(10**8) + 10**8)

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(text=texts)
def test_rest_channel(stack, text):
    reply = requests.post(
        f"{stack.settings.rasa_url}/webhooks/rest/webhook",
        json={"sender": uuid.uuid4().hex, "message": text},
        timeout=60,
    )
    assert reply.status_code == 200, reply.text[:200]
    body = reply.json()
    assert body and "Traceback" not in json.dumps(body)


@FUZZ
@given(text=texts)
def test_widget_channel(stack, text):
    async def talk() -> list[dict]:
        url = stack.settings.rasa_url.replace("http", "ws", 1) + "/webhooks/widget/ws"
        async with aiohttp.ClientSession() as http, http.ws_connect(url) as socket:
            await handshake(socket)
            await socket.send_str(json.dumps({"type": "message", "text": text}))
            frames = []
            while True:
                frame = json.loads((await socket.receive(timeout=60)).data)
                frames.append(frame)
                if frame["type"] in ("idle", "error"):
                    return frames

    frames = asyncio.run(talk())
    kinds = {f["type"] for f in frames}
    assert "error" in kinds or any(f["type"] == "message" for f in frames), frames


def test_widget_survives_garbage_frames(stack):
    async def talk() -> list[dict]:
        url = stack.settings.rasa_url.replace("http", "ws", 1) + "/webhooks/widget/ws"
        async with aiohttp.ClientSession() as http, http.ws_connect(url) as socket:
            assert (await handshake(socket))[-1] == {"type": "ready"}
            replies = []
            for garbage in (b"\xff\xfe\x00", "niet json", "[]", '{"type": "iets"}'):
                if isinstance(garbage, bytes):
                    await socket.send_bytes(garbage)
                else:
                    await socket.send_str(garbage)
                replies.append(json.loads((await socket.receive(timeout=30)).data))
            await socket.send_str(json.dumps({"type": "message", "text": "hallo"}))
            while True:
                frame = json.loads((await socket.receive(timeout=60)).data)
                if frame["type"] == "message":
                    replies.append(frame)
                    return replies

    replies = asyncio.run(talk())
    assert [r["type"] for r in replies[:4]] == ["error"] * 4
    assert replies[-1]["type"] == "message"


@FUZZ
@given(text=texts)
def test_telegram_channel(stack, fake_telegram, text):
    chat = next(_ids)
    update = {
        "update_id": next(_ids),
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "text": text,
        },
    }
    reply = requests.post(
        f"{stack.settings.rasa_url}/webhooks/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
        timeout=60,
    )
    assert reply.status_code == 200
    if text.strip():
        assert fake_telegram.sent(chat), "every text message gets an answer"


def test_invalid_utf8_json_is_refused_without_a_500(stack):
    for path in ("/webhooks/rest/webhook", "/webhooks/telegram/webhook"):
        reply = requests.post(
            stack.settings.rasa_url + path,
            data=b'{"sender": "x", "message": "\xff\xfe"}',
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
            },
            timeout=30,
        )
        assert reply.status_code < 500, (path, reply.status_code)
