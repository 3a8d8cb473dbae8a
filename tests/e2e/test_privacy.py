"""Redaction at the edge, message limits and erasure, through the real servers."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
import requests

from channels.texts import response_text
from tests.e2e.test_rest_conversations import texts
from tests.widget_socket import handshake

pytestmark = pytest.mark.e2e


def _stored_text(assistant) -> str:
    return json.dumps(assistant.tracker()["events"], ensure_ascii=False)


def test_personal_data_is_redacted_before_it_is_stored(assistant):
    replies = assistant.say("ik heet Jan, mijn gsm is 0470 12 34 56 en ik zoek werk")
    assert replies  # the NLU still works on the redacted text
    stored = _stored_text(assistant)
    assert "0470" not in stored and "Jan," not in stored
    assert "<telefoon>" in stored and "<naam>" in stored


def test_request_metadata_is_not_stored(stack, assistant):
    requests.post(
        f"{stack.settings.rasa_url}/webhooks/rest/webhook",
        json={"sender": assistant.sender, "message": "hallo", "metadata": {"ip": "10.1.2.3"}},
        timeout=30,
    ).raise_for_status()
    assert "10.1.2.3" not in _stored_text(assistant)


def test_too_long_and_empty_messages_get_a_friendly_answer(assistant):
    assert "te lang" in texts(assistant.say("a" * 3000))
    assert "leeg bericht" in texts(assistant.say("   "))
    assert "knelpuntberoep" in texts(assistant.say("is lasser een knelpuntberoep?"))


@pytest.mark.parametrize(
    "hostile",
    [
        "'; DROP TABLE events; --",
        "{{7*7}} {user_group} ${RASA_TOKEN}",
        "<script>alert(1)</script>",
        "\u202eolleh\u202c",
        "😀😀😀",
        "Wie geht es dir? Ich suche Arbeit.",
        "/restart",
        "x" * 60_000,  # just under MAX_BODY_BYTES (64 KB)
    ],
    ids=["sql", "template", "script", "rtl", "emoji", "german", "slash", "60k"],
)
def test_hostile_input_gets_a_reply_and_the_conversation_goes_on(assistant, hostile):
    replies = assistant.say(hostile)
    assert replies and all("Traceback" not in r.get("text", "") for r in replies)
    assert "knelpuntberoep" in texts(assistant.say("is lasser een knelpuntberoep?"))


def test_a_body_over_the_limit_gets_413_and_the_conversation_goes_on(stack, assistant):
    reply = requests.post(
        f"{stack.settings.rasa_url}/webhooks/rest/webhook",
        json={"sender": assistant.sender, "message": "x" * 100_000},
        timeout=30,
    )
    assert reply.status_code == 413
    assert "knelpuntberoep" in texts(assistant.say("is lasser een knelpuntberoep?"))


def test_logs_carry_no_user_text(stack, assistant):
    assistant.say("mijn geheime zin is zebrapaardfluit en ik zoek werk")
    log = (stack.settings.var_dir / "stack.log").read_text(encoding="utf-8", errors="replace")
    assert "zebrapaardfluit" not in log


def test_too_many_messages_in_one_conversation_are_refused_politely(stack, assistant):
    url = f"{stack.settings.rasa_url}/webhooks/rest/webhook"
    statuses = []
    for _ in range(stack.settings.messages_per_conversation + 2):
        reply = requests.post(
            url, json={"sender": assistant.sender, "message": "hallo"}, timeout=30
        )
        statuses.append(reply.status_code)
    limit = stack.settings.messages_per_conversation
    assert statuses[:limit] == [200] * limit
    assert statuses[-1] == 429
    assert "Wacht even" in reply.json()[0]["text"]


def test_widget_refuses_too_many_messages_with_the_domain_text(stack):
    async def talk() -> list[dict]:
        url = stack.settings.rasa_url.replace("http", "ws", 1) + "/webhooks/widget/ws"
        async with aiohttp.ClientSession() as http, http.ws_connect(url) as socket:
            await handshake(socket)
            for _ in range(stack.settings.messages_per_conversation + 1):
                await socket.send_str(json.dumps({"type": "message", "text": "hallo"}))
            while True:
                frame = json.loads((await socket.receive(timeout=120)).data)
                if frame["type"] == "error":
                    return frame

    refusal = asyncio.run(talk())
    assert refusal["reason"] == "rate"
    assert refusal["text"] == response_text("utter_slow_down")
    assert "Wacht even" in refusal["text"]
