"""Telegram connector parts without Rasa: ids, splitting, escaping, directory."""

from channels.telegram import (
    ChatDirectory,
    RecentUpdates,
    TelegramInput,
    conversation_id,
    split_text,
)


def test_conversation_id_is_a_keyed_hash():
    first = conversation_id(123456789, "key-a")
    assert first.startswith("tg-") and "123456789" not in first
    assert first == conversation_id(123456789, "key-a")
    assert first != conversation_id(123456789, "key-b")
    assert first != conversation_id(123456780, "key-a")


def test_long_text_is_split_at_sentence_ends():
    text = " ".join(f"Zin nummer {i} gaat over studiekeuze en werk." for i in range(300))
    parts = split_text(text, limit=500)
    assert all(len(p) <= 500 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text


def test_directory_forgets_idle_chats_and_button_tokens():
    directory = ChatDirectory(ttl_seconds=0)
    directory.remember("tg-a", 42)
    token = directory.button_token("tg-a", '/inform_occupation{"occupation": "' + "x" * 80 + '"}')
    assert len(token) <= 64
    assert directory.chat_for("tg-a") is None  # expired at once with ttl 0
    assert directory.payload_for("tg-a", token) is None


def test_update_ids_are_seen_once():
    updates = RecentUpdates(size=2)
    assert updates.first_time(1) and not updates.first_time(1)
    assert updates.first_time(2) and updates.first_time(3)
    assert updates.first_time(1)  # forgotten after more than `size` others


def test_slash_commands_and_typed_slashes():
    assert TelegramInput._texts_for("/start") == ["/greet"]
    assert TelegramInput._texts_for("/nieuw") == ["/restart"]
    assert TelegramInput._texts_for("/mens@wegwijzer_bot") == ["/ask_human"]
    assert TelegramInput._texts_for("/crisis") == ["crisis"]
