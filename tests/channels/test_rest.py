"""The REST connector in Rasa's app, with a scripted agent instead of a trained model."""

from __future__ import annotations

import aiohttp
from rasa.shared.core.events import BotUttered

from bot.stores import StoreUnavailable
from channels.rest import RedactingRestInput
from channels.telegram import conversation_id
from channels.texts import channel_text, response_text
from privacy.channel_ids import ChannelIdKeys, WidgetIds
from tests.channels.conftest import ATTACHMENT, EVERY_PART, IMAGE, get_json, serving

SENDER = "rest-test-conversation"


def rest() -> RedactingRestInput:
    return RedactingRestInput.from_credentials(None)


async def say(http: aiohttp.ClientSession, url: str, message: str, sender: str = SENDER):
    body = {"sender": sender, "message": message, "metadata": {"client": "x"}}
    async with http.post(f"{url}/webhooks/rest/webhook", json=body) as reply:
        return reply.status, await reply.json()


async def test_health_route(agent):
    async with serving(rest(), agent) as url:
        assert await get_json(f"{url}/webhooks/rest/") == (200, {"status": "ok"})


async def test_text_buttons_image_attachment_and_custom_json_reach_the_client(agent):
    agent.replies = EVERY_PART
    async with serving(rest(), agent) as url, aiohttp.ClientSession() as http:
        status, replies = await say(http, url, "hallo")
    assert status == 200
    assert replies == [
        {
            "recipient_id": SENDER,
            "text": "Kies <maar>.",
            "buttons": [{"title": "Werk", "payload": "/werk"}],
        },
        {"recipient_id": SENDER, "image": IMAGE},
        {"recipient_id": SENDER, "text": "Lees dit:"},
        {"recipient_id": SENDER, "attachment": ATTACHMENT},
        {"recipient_id": SENDER, "custom": {"kaart": "vdab"}},
    ]


async def test_typed_text_is_redacted_and_client_metadata_dropped(agent):
    agent.replies = [BotUttered("Oké.")]
    async with serving(rest(), agent) as url, aiohttp.ClientSession() as http:
        await say(http, url, "mijn mail is jan.peeters@example.com")
        await say(http, url, "\u202e" + "x" * 2001)
    assert agent.texts == ["mijn mail is <email>", "/message_too_long"]
    assert [m.metadata for m in agent.received] == [None, None]
    assert [m.input_channel for m in agent.received] == ["rest", "rest"]


async def test_a_conversation_over_its_limit_gets_429_with_the_domain_text(agent):
    agent.replies = [BotUttered("Oké.")]
    async with serving(rest(), agent) as url, aiohttp.ClientSession() as http:
        answers = [await say(http, url, "hallo") for _ in range(4)]
        other = await say(http, url, "hallo", sender="another-conversation")
    assert [status for status, _ in answers] == [200, 200, 200, 429]
    assert answers[-1][1] == [{"recipient_id": SENDER, "text": response_text("utter_slow_down")}]
    assert other[0] == 200
    assert len(agent.received) == 4


async def test_silence_and_failure_are_still_answered(agent):
    async with serving(rest(), agent) as url, aiohttp.ClientSession() as http:
        _, silent = await say(http, url, "hallo")
        agent.error = StoreUnavailable("tracker store down")
        _, failed = await say(http, url, "hallo")
    assert silent == [{"recipient_id": SENDER, "text": response_text("utter_cannot_look_up")}]
    assert failed == [{"recipient_id": SENDER, "text": response_text("utter_not_received")}]


async def test_a_body_that_is_no_json_object_is_refused_without_a_500(agent):
    async with serving(rest(), agent) as url, aiohttp.ClientSession() as http:
        for body in (b"[]", b"niet json", b'{"sender": "x", "message": "\xff"}'):
            headers = {"Content-Type": "application/json"}
            async with http.post(f"{url}/webhooks/rest/webhook", data=body, headers=headers) as r:
                assert r.status == 400, body
    assert agent.received == []


async def test_ids_of_the_widget_s_or_telegram_s_shape_are_refused_with_400(agent):
    agent.replies = [BotUttered("Oké.")]
    issued = WidgetIds(b"k" * 32).issue()  # as the widget hands them out
    telegram = conversation_id(123456789, ChannelIdKeys.from_setting("t" * 32))
    async with serving(rest(), agent) as url, aiohttp.ClientSession() as http:
        refused = [await say(http, url, "hallo", sender=sender) for sender in (issued, telegram)]
        chosen = await say(http, url, "hallo", sender="any-random-id")
    text = channel_text("conversation_of_another_channel")
    assert refused == [
        (400, [{"recipient_id": issued, "text": text}]),
        (400, [{"recipient_id": telegram, "text": text}]),
    ]
    assert chosen[0] == 200
    assert [m.sender_id for m in agent.received] == ["any-random-id"]
