"""The Telegram connector in Rasa's app, against a local fake Bot API, no trained model."""

from __future__ import annotations

import itertools
import random

import aiohttp
import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered
from rasa.shared.exceptions import RasaException
from sqlalchemy import func, insert, select

import database
from channels.telegram import TelegramInput, conversation_id
from channels.texts import channel_text, response_text
from handoff.models import Conversation
from privacy.channel_ids import ChannelIdKeys
from settings import load_settings
from tests.channels.conftest import EVERY_PART, IMAGE, get_json, serving

SECRET = "telegram-test-secret"
SIGNAL_TOKEN = "telegram-test-signal-token"
ID_HASH_KEY = "telegram-test-id-hash-key-of-32-characters"
KEYS = ChannelIdKeys.from_setting(ID_HASH_KEY)
EVENTS = SQLTrackerStore.SQLEvent.__table__
_ids = itertools.count(random.randint(10_000, 1_000_000))


def credentials(api_url: str) -> dict[str, str]:
    """The section of bot/credentials-telegram.yml, as Rasa hands it over."""
    return {
        "access_token": "123:test",
        "secret_token": SECRET,
        "api_url": api_url,
        "id_hash_key": ID_HASH_KEY,
        "signal_token": SIGNAL_TOKEN,
    }


def telegram(fake) -> TelegramInput:
    return TelegramInput.from_credentials(credentials(fake.url))


def update(chat: int, text: str | None = None, **extra) -> dict:
    message = {"message_id": next(_ids), "chat": {"id": chat, "type": "private"}, **extra}
    if text is not None:
        message["text"] = text
    return {"update_id": next(_ids), "message": message}


async def post(http, url: str, body: dict, secret: str | None = SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with http.post(f"{url}/webhooks/telegram/webhook", json=body, headers=headers) as r:
        return r.status


def new_chat() -> int:
    return random.randint(10**8, 10**9)


@pytest.mark.parametrize("missing", ["access_token", "secret_token", "signal_token"])
def test_credentials_without_a_required_value_stop_rasa_with_its_name(missing):
    values = credentials("http://127.0.0.1:9") | {missing: ""}
    with pytest.raises(RasaException, match=missing):
        TelegramInput.from_credentials(values)


def test_the_api_url_falls_back_to_telegram():
    channel = TelegramInput.from_credentials(credentials("") | {"api_url": None})
    assert channel.api._base == "https://api.telegram.org/bot123:test"


@pytest.mark.parametrize("key", ["", None, "short-key", "same-as-the-secret-" + "x" * 20])
def test_without_an_id_hash_key_of_its_own_rasa_stops_and_says_how_to_make_one(key):
    """Never the secret token: Telegram sends it in every webhook request."""
    values = credentials("") | {"id_hash_key": key}
    if key and key.startswith("same"):
        values["secret_token"] = key
    with pytest.raises(RasaException, match="id_hash_key") as raised:
        TelegramInput.from_credentials(values)
    assert "secrets.token_urlsafe(32)" in str(raised.value)


async def test_health_route(agent, fake_telegram):
    async with serving(telegram(fake_telegram), agent) as url:
        assert await get_json(f"{url}/webhooks/telegram/") == (200, {"status": "ok"})


async def test_every_part_of_a_response_reaches_the_chat(agent, fake_telegram):
    # Telegram shows a custom payload's text; nothing of {"kaart": "vdab"}.
    agent.replies = [*EVERY_PART, BotUttered(None, {"custom": {"text": "Uit een payload."}})]
    chat = new_chat()
    async with serving(telegram(fake_telegram), agent) as url, aiohttp.ClientSession() as http:
        assert await post(http, url, update(chat, "hallo")) == 200
    sent = fake_telegram.sent(chat)
    assert [p["text"] for p in sent] == [
        "Kies &lt;maar&gt;.",
        "Lees dit:",
        "https://example.org/gids.pdf?a=1&amp;b=2",
        "Uit een payload.",
    ]
    assert all(p["parse_mode"] == "HTML" for p in sent)
    [[button]] = sent[0]["reply_markup"]["inline_keyboard"]
    assert button["text"] == "Werk" and len(button["callback_data"]) <= 64
    assert fake_telegram.called("sendPhoto", chat) == [{"chat_id": chat, "photo": IMAGE}]


async def test_a_pressed_button_passes_its_payload_on(agent, fake_telegram):
    agent.replies = [BotUttered("Kies maar.", {"buttons": [{"title": "Werk", "payload": "/werk"}]})]
    chat = new_chat()
    async with serving(telegram(fake_telegram), agent) as url, aiohttp.ClientSession() as http:
        await post(http, url, update(chat, "hallo"))
        [[button]] = fake_telegram.sent(chat)[-1]["reply_markup"]["inline_keyboard"]
        query = {
            "update_id": next(_ids),
            "callback_query": {
                "id": "cb-1",
                "message": {"message_id": 1, "chat": {"id": chat, "type": "private"}},
                "data": button["callback_data"],
            },
        }
        assert await post(http, url, query) == 200
    assert agent.texts == ["hallo", "/werk"]
    assert ("answerCallbackQuery", {"callback_query_id": "cb-1"}) in fake_telegram.calls


async def test_typed_text_is_redacted_and_the_chat_id_never_the_sender(agent, fake_telegram):
    agent.replies = [BotUttered("Oké.")]
    chat = new_chat()
    async with serving(telegram(fake_telegram), agent) as url, aiohttp.ClientSession() as http:
        await post(http, url, update(chat, "/inform{} mail me op jan.peeters@example.com"))
        await post(http, url, update(chat, None, sticker={"file_id": "x"}))
    assert agent.texts == ["inform{} mail me op <email>", "/unsupported_message"]
    assert {m.sender_id for m in agent.received} == {conversation_id(chat, KEYS)}
    assert str(chat) not in agent.received[0].sender_id
    assert [m.input_channel for m in agent.received] == ["telegram", "telegram"]


async def test_wrong_secret_duplicates_and_group_chats_touch_nothing(agent, fake_telegram):
    agent.replies = [BotUttered("Oké.")]
    chat = new_chat()
    async with serving(telegram(fake_telegram), agent) as url, aiohttp.ClientSession() as http:
        assert await post(http, url, update(chat, "hallo"), secret="fout") == 403
        assert await post(http, url, update(chat, "hallo"), secret=None) == 403
        group = update(chat, "hallo")
        group["message"]["chat"]["type"] = "group"
        assert await post(http, url, group) == 200
        once = update(chat, "hallo")
        assert await post(http, url, once) == 200
        assert await post(http, url, once) == 200
    assert len(agent.received) == 1
    assert len(fake_telegram.sent(chat)) == 1


async def test_a_conversation_over_its_limit_is_told_to_slow_down(agent, fake_telegram):
    agent.replies = [BotUttered("Oké.")]
    chat = new_chat()
    async with serving(telegram(fake_telegram), agent) as url, aiohttp.ClientSession() as http:
        for _ in range(4):
            await post(http, url, update(chat, "hallo"))
    assert len(agent.received) == 3
    assert fake_telegram.sent(chat)[-1]["text"] == response_text("utter_slow_down")


async def test_silence_and_failure_are_still_answered(agent, fake_telegram):
    chat = new_chat()
    async with serving(telegram(fake_telegram), agent) as url, aiohttp.ClientSession() as http:
        await post(http, url, update(chat, "hallo"))
        agent.error = RuntimeError("the tracker store is down")
        assert await post(http, url, update(chat, "hallo")) == 200
    texts = [p["text"] for p in fake_telegram.sent(chat)]
    assert texts == [response_text("utter_cannot_look_up"), response_text("utter_not_received")]


async def test_counsellor_messages_are_labelled_and_signals_need_the_token(agent, fake_telegram):
    channel = telegram(fake_telegram)
    chat = new_chat()
    sender = conversation_id(chat, KEYS)
    agent.replies = [BotUttered("Oké.")]
    async with serving(channel, agent) as url, aiohttp.ClientSession() as http:
        await post(http, url, update(chat, "hallo"))
        # What Rasa does with a bot event appended with output_channel=latest.
        event = BotUttered("Hoi <b>daar</b>.", {"custom": {"from": "counsellor"}})
        await channel.get_output_channel().send_response(sender, event.message())
        signal_url = f"{url}/webhooks/telegram/signal"
        body = {"conversation_id": sender, "signal": {"type": "typing"}}
        async with http.post(signal_url, json=body) as refused:
            assert refused.status == 403
        headers = {"Authorization": f"Bearer {SIGNAL_TOKEN}"}
        typing_before = len(fake_telegram.called("sendChatAction", chat))
        async with http.post(signal_url, json=body, headers=headers) as reply:
            assert reply.status == 200
    label = response_text("utter_counsellor_label")
    assert fake_telegram.sent(chat)[-1]["text"] == f"<b>{label}:</b> Hoi &lt;b&gt;daar&lt;/b&gt;."
    assert len(fake_telegram.called("sendChatAction", chat)) == typing_before + 1


def _stored(conversation: str) -> tuple[int, int]:
    """Tracker events and handoff rows of ``conversation`` in this test's stores."""
    settings = load_settings()
    with database.engine(settings.tracker_url).connect() as conn:
        events = conn.execute(
            select(func.count()).select_from(EVENTS).where(EVENTS.c.sender_id == conversation)
        ).scalar()
    with database.handoff_sessions()() as session:
        rows = session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.id == conversation)
        )
    return events, rows


def _tracker_events(*conversations: str) -> None:
    """A few events of each conversation in Rasa's table, as Rasa's SQL store writes them."""
    engine = database.engine(load_settings().tracker_url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as conn:
        for conversation in conversations:
            for moment in (1.0, 2.0):
                conn.execute(
                    insert(EVENTS).values(
                        sender_id=conversation, type_name="user", data="{}", timestamp=moment
                    )
                )


@pytest.mark.parametrize(("language_code", "language"), [("nl", "nl"), ("fr-BE", "fr")])
async def test_wis_erases_the_conversation_and_confirms_it(
    agent, fake_telegram, language_code, language
):
    agent.replies = [BotUttered("Oké.")]
    chat, other = new_chat(), new_chat()
    mine, theirs = conversation_id(chat, KEYS), conversation_id(other, KEYS)
    app_language = {"from": {"id": chat, "language_code": language_code}}
    async with serving(telegram(fake_telegram), agent) as url, aiohttp.ClientSession() as http:
        await post(http, url, update(chat, "hallo"))
        await post(http, url, update(other, "hallo"))
        _tracker_events(mine, theirs)
        assert _stored(mine) == (2, 1)
        assert await post(http, url, update(chat, "/wis", **app_language)) == 200
    assert _stored(mine) == (0, 0)
    assert _stored(theirs) == (2, 1)
    assert fake_telegram.sent(chat)[-1]["text"] == channel_text("conversation_erased", language)
    assert agent.texts == ["hallo", "hallo"]  # /wis never reaches Rasa


async def test_in_redis_the_chat_id_is_sealed_and_replies_still_reach_the_chat(
    agent, fake_telegram
):
    """The scaled set-up's directory, on this machine's Redis: what Redis holds is not
    the chat id, and every worker can still open it to reply."""
    import redis

    from privacy.shared_state import telegram_chat_key
    from tests.databases import require_redis

    require_redis()
    redis_url = "redis://127.0.0.1:6379/6"
    channel = TelegramInput(
        "123:test", SECRET, fake_telegram.url, KEYS, SIGNAL_TOKEN, redis_url=redis_url
    )
    agent.replies = [BotUttered("Oké.")]
    chat = new_chat()
    async with serving(channel, agent) as url, aiohttp.ClientSession() as http:
        assert await post(http, url, update(chat, "hallo")) == 200
    assert [p["text"] for p in fake_telegram.sent(chat)] == ["Oké."]
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        stored = client.get(telegram_chat_key(conversation_id(chat, KEYS)))
    finally:
        client.close()
    assert stored and str(chat) not in stored
    assert KEYS.unseal(stored, telegram_chat_key(conversation_id(chat, KEYS))) == str(chat)
