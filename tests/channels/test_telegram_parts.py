"""Telegram connector parts without Rasa: ids, splitting, escaping, directory."""

import pytest

from channels.telegram import TelegramInput, conversation_id, language_hint
from channels.telegram_output import split_text
from channels.telegram_state import ChatDirectory, RecentUpdates
from privacy.channel_ids import ChannelIdKeys

KEYS = ChannelIdKeys.from_setting("telegram-parts-id-hash-key-of-32-characters")


def test_conversation_id_is_a_keyed_hash():
    other = ChannelIdKeys.from_setting("another-id-hash-key-of-32-characters")
    first = conversation_id(123456789, KEYS)
    assert first.startswith("tg-") and "123456789" not in first
    assert first == conversation_id(123456789, KEYS)
    assert first != conversation_id(123456789, other)
    assert first != conversation_id(123456780, KEYS)


def test_hash_and_sealing_keys_are_apart_and_a_sealed_id_opens_only_where_it_was_stored():
    assert KEYS.hash_key != KEYS.seal_key
    sealed = KEYS.seal("123456789", "key-a")
    assert "123456789" not in sealed and sealed != KEYS.seal("123456789", "key-a")  # nonce
    assert KEYS.unseal(sealed, "key-a") == "123456789"
    assert KEYS.unseal(sealed, "key-b") is None  # copied under another key
    other = ChannelIdKeys.from_setting("another-id-hash-key-of-32-characters")
    assert other.unseal(sealed, "key-a") is None
    assert KEYS.unseal("not base64!", "key-a") is None


def test_long_text_is_split_at_sentence_ends():
    text = " ".join(f"Zin nummer {i} gaat over studiekeuze en werk." for i in range(300))
    parts = split_text(text, limit=500)
    assert all(len(p) <= 500 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text


async def test_directory_forgets_idle_chats_and_button_tokens():
    directory = ChatDirectory(ttl_seconds=0)
    await directory.remember("tg-a", 42)
    payload = '/inform_occupation{"occupation": "' + "x" * 80 + '"}'
    token = await directory.button_token("tg-a", payload)
    assert len(token) <= 64
    assert await directory.chat_for("tg-a") is None  # expired at once with ttl 0
    assert await directory.payload_for("tg-a", token) is None


async def test_update_ids_are_seen_once():
    updates = RecentUpdates(size=2)
    assert await updates.first_time(1) and not await updates.first_time(1)
    assert await updates.first_time(2) and await updates.first_time(3)
    assert await updates.first_time(1)  # forgotten after more than `size` others


async def test_redis_directory_is_shared_and_expires():
    import uuid

    from channels.telegram_state import RedisChatDirectory, RedisRecentUpdates
    from tests.databases import require_redis

    require_redis()
    url = "redis://127.0.0.1:6379/6"
    one, two = RedisChatDirectory(url, KEYS), RedisChatDirectory(url, KEYS)  # two workers
    sender = "tg-" + uuid.uuid4().hex
    await one.remember(sender, 4242)
    assert await two.chat_for(sender) == 4242
    token = await one.button_token(sender, "/ask_human")
    assert await two.payload_for(sender, token) == "/ask_human"
    await two.forget(sender)
    assert await one.chat_for(sender) is None
    update = uuid.uuid4().int % 10**9
    assert await RedisRecentUpdates(url).first_time(update)
    assert not await RedisRecentUpdates(url).first_time(update)


def test_slash_commands_and_typed_slashes():
    assert TelegramInput._texts_for("/start") == ["/greet"]
    assert TelegramInput._texts_for("/start", "fr") == ['/choose_language{"language": "fr"}']
    assert TelegramInput._texts_for("/nieuw", "en") == ["/restart"]  # only a start is hinted
    assert TelegramInput._texts_for("/nieuw") == ["/restart"]
    assert TelegramInput._texts_for("/mens@wegwijzer_bot") == ["/ask_human"]
    assert TelegramInput._texts_for("/crisis") == ["crisis"]


@pytest.mark.parametrize(
    ("code", "hint"),
    [("en", "en"), ("en-GB", "en"), ("fr-BE", "fr"), ("nl", None), ("de", None), (None, None)],
)
def test_the_telegram_app_language_is_a_hint_for_english_and_french_only(code, hint):
    message = {"from": {"id": 1, "language_code": code}} if code else {"from": {"id": 1}}
    assert language_hint(message) == hint
