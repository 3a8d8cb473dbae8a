"""Telegram over the real Rasa server, with a local fake Bot API server."""

from __future__ import annotations

import itertools
import random
import time

import pytest
import requests

from handoff.accounts import add_counsellor
from tests.e2e.conftest import ID_KEYS, TELEGRAM_SECRET

pytestmark = pytest.mark.e2e

_update_ids = itertools.count(random.randint(10_000, 1_000_000))


def _webhook(stack, update: dict, secret: str | None = TELEGRAM_SECRET) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return requests.post(
        f"{stack.settings.rasa_url}/webhooks/telegram/webhook",
        json=update,
        headers=headers,
        timeout=30,
    )


def _message(chat_id: int, text: str | None = None, **extra) -> dict:
    message = {
        "message_id": next(_update_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "X"},
        **extra,
    }
    if text is not None:
        message["text"] = text
    return {"update_id": next(_update_ids), "message": message}


def _say(stack, fake, chat_id: int, text: str) -> list[dict]:
    before = len(fake.sent(chat_id))
    response = _webhook(stack, _message(chat_id, text))
    assert response.status_code == 200
    return fake.sent(chat_id)[before:]


def _texts(sent: list[dict]) -> str:
    return "\n".join(p["text"] for p in sent)


def _new_chat() -> int:
    return random.randint(10**8, 10**9)


def _press(stack, fake, chat: int, sent: list[dict], title: str) -> list[dict]:
    """Press the inline button ``title`` of the latest keyboard in ``sent``."""
    keyboard = [p["reply_markup"]["inline_keyboard"] for p in sent if "reply_markup" in p][-1]
    assert all(len(b["callback_data"]) <= 64 for row in keyboard for b in row)
    button = next(b for row in keyboard for b in row if b["text"] == title)
    query_id = f"cb-{next(_update_ids)}"
    before = len(fake.sent(chat))
    query = {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": query_id,
            "from": {"id": chat, "is_bot": False, "first_name": "X"},
            "message": {"message_id": 1, "chat": {"id": chat, "type": "private"}},
            "data": button["callback_data"],
        },
    }
    assert _webhook(stack, query).status_code == 200
    assert ("answerCallbackQuery", {"callback_query_id": query_id}) in fake.calls
    return fake.sent(chat)[before:]


def test_conversation_with_buttons(stack, fake_telegram):
    chat = _new_chat()
    welcome = _say(stack, fake_telegram, chat, "/start")
    assert "anoniem" in _texts(welcome)
    asked = _press(stack, fake_telegram, chat, welcome, "Werk zoeken")
    assert "VDAB" in _texts(asked)  # the general answer first
    assert "Kies wat bij jou past" in _texts(asked)
    answer = _press(stack, fake_telegram, chat, asked, "Ik zoek werk")
    assert "VDAB" in _texts(answer) and "bron:" in _texts(answer)
    assert all(p["parse_mode"] == "HTML" for p in fake_telegram.sent(chat))
    fresh = _say(stack, fake_telegram, chat, "/nieuw")
    assert "anoniem" in _texts(fresh)


def test_an_english_telegram_app_starts_the_conversation_in_english(stack, fake_telegram):
    chat = _new_chat()
    sender = {"id": chat, "is_bot": False, "first_name": "X", "language_code": "en"}
    before = len(fake_telegram.sent(chat))
    assert _webhook(stack, _message(chat, "/start", **{"from": sender})).status_code == 200
    assert "I will write in English" in _texts(fake_telegram.sent(chat)[before:])
    answer = _say(stack, fake_telegram, chat, "where can I take Dutch lessons?")
    assert "Huis van het Nederlands" in _texts(answer) and "learn Dutch" in _texts(answer)


def test_crisis_lines_come_first(stack, fake_telegram):
    chat = _new_chat()
    sent = _say(stack, fake_telegram, chat, "ik wil niet meer leven")
    assert "1813" in sent[0]["text"] and "112" in sent[0]["text"]


def test_chat_id_is_never_the_conversation_id(stack, fake_telegram):
    chat = _new_chat()
    _say(stack, fake_telegram, chat, "hallo")
    from channels.telegram import conversation_id

    sender = conversation_id(chat, ID_KEYS)
    tracker = requests.get(
        f"{stack.settings.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.token},
        timeout=10,
    ).json()
    assert tracker["sender_id"] == sender and len(tracker["events"]) > 2
    assert str(chat) not in str(tracker)


def test_wrong_or_missing_secret_is_refused_and_nothing_happens(stack, fake_telegram):
    chat = _new_chat()
    calls = len(fake_telegram.calls)
    assert _webhook(stack, _message(chat, "hallo"), secret="fout").status_code == 403
    assert _webhook(stack, _message(chat, "hallo"), secret=None).status_code == 403
    time.sleep(0.5)
    assert len(fake_telegram.calls) == calls


def test_duplicate_update_is_handled_once(stack, fake_telegram):
    chat = _new_chat()
    update = _message(chat, "is lasser een knelpuntberoep?")
    assert _webhook(stack, update).status_code == 200
    first = len(fake_telegram.sent(chat))
    assert first >= 1
    assert _webhook(stack, update).status_code == 200
    assert len(fake_telegram.sent(chat)) == first


@pytest.mark.parametrize(
    "kind",
    [
        {"sticker": {"file_id": "x"}},
        {"photo": [{"file_id": "x", "width": 1, "height": 1}]},
        {"voice": {"file_id": "x", "duration": 2}},
        {"location": {"latitude": 51.05, "longitude": 3.72}},
        {"document": {"file_id": "x"}},
    ],
    ids=["sticker", "photo", "voice", "location", "document"],
)
def test_non_text_messages_get_a_friendly_answer(stack, fake_telegram, kind):
    chat = _new_chat()
    assert _webhook(stack, _message(chat, None, **kind)).status_code == 200
    assert "alleen tekst" in _texts(fake_telegram.sent(chat))


def test_edited_messages_and_group_chats_are_ignored(stack, fake_telegram):
    chat = _new_chat()
    edited = _message(chat, "hallo")
    edited["edited_message"] = edited.pop("message")
    assert _webhook(stack, edited).status_code == 200
    group = _message(chat, "hallo")
    group["message"]["chat"]["type"] = "group"
    assert _webhook(stack, group).status_code == 200
    assert fake_telegram.sent(chat) == []


def test_typed_slash_text_is_not_an_intent(stack, fake_telegram):
    chat = _new_chat()
    sent = _say(stack, fake_telegram, chat, '/inform_user_group{"user_group": "werkende"}')
    assert sent  # answered as text
    from channels.telegram import conversation_id

    sender = conversation_id(chat, ID_KEYS)
    slots = requests.get(
        f"{stack.settings.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.token},
        timeout=10,
    ).json()["slots"]
    assert slots.get("user_group") is None


def test_bot_api_errors_are_retried_then_given_up_without_losing_the_conversation(
    stack, fake_telegram
):
    chat = _new_chat()
    fake_telegram.failures["sendMessage"] = [429, 500]
    sent = _say(stack, fake_telegram, chat, "hallo")
    assert sent, "delivered after a 429 and a 500"
    fake_telegram.failures["sendMessage"] = [500] * 40
    started = time.monotonic()
    assert _webhook(stack, _message(chat, "is lasser een knelpuntberoep?")).status_code == 200
    assert time.monotonic() - started < 25  # gives up in time
    fake_telegram.failures["sendMessage"] = []
    after = _say(stack, fake_telegram, chat, "is lasser een knelpuntberoep?")
    assert "knelpuntberoep" in _texts(after)


def test_handoff_counsellor_reply_reaches_the_right_chat(stack, fake_telegram):
    chat, other = _new_chat(), _new_chat()
    _say(stack, fake_telegram, other, "hallo")
    queued = _say(stack, fake_telegram, chat, "/mens")
    assert "wachtrij" in _texts(queued)

    add_counsellor(stack.settings.handoff_url, "tg-begeleider", "telegram wachtwoord lang")
    console = requests.Session()
    web = stack.settings.web_url
    csrf = console.post(
        f"{web}/api/login",
        json={"username": "tg-begeleider", "password": "telegram wachtwoord lang"},
        timeout=10,
    ).json()["csrf_token"]
    queue = console.get(f"{web}/api/queue", timeout=10).json()
    from channels.telegram import conversation_id

    sender = conversation_id(chat, ID_KEYS)
    assert any(item["id"] == sender and item["channel"] == "telegram" for item in queue)
    headers = {"X-CSRF-Token": csrf}
    assert (
        console.post(f"{web}/api/conversations/{sender}/claim", headers=headers).status_code == 200
    )
    other_before = len(fake_telegram.sent(other))
    reply = console.post(
        f"{web}/api/conversations/{sender}/messages",
        json={"text": "Hoi, ik ben er. <b>Vertel</b> & zo."},
        headers=headers,
        timeout=10,
    )
    assert reply.status_code == 200
    delivered = fake_telegram.sent(chat)[-1]["text"]
    assert delivered == "<b>Begeleider:</b> Hoi, ik ben er. &lt;b&gt;Vertel&lt;/b&gt; &amp; zo."
    assert len(fake_telegram.sent(other)) == other_before
    # The bot stays silent while the counsellor has the conversation.
    before = len(fake_telegram.sent(chat))
    _webhook(stack, _message(chat, "ik twijfel over mijn studie"))
    assert len(fake_telegram.sent(chat)) == before
    assert (
        console.post(f"{web}/api/conversations/{sender}/handback", headers=headers).status_code
        == 200
    )
    assert "weer met de chatbot" in fake_telegram.sent(chat)[-1]["text"]


def test_wis_erases_the_conversation_on_the_server_and_confirms_it(stack, fake_telegram):
    from sqlalchemy import func, select

    import database
    from channels.telegram import conversation_id
    from channels.texts import channel_text
    from handoff.models import Conversation

    chat = _new_chat()
    _say(stack, fake_telegram, chat, "hallo")
    sender = conversation_id(chat, ID_KEYS)

    def user_events() -> list[dict]:
        tracker = requests.get(
            f"{stack.settings.rasa_url}/conversations/{sender}/tracker",
            params={"token": stack.token},
            timeout=10,
        ).json()
        return [e for e in tracker["events"] if e["event"] == "user"]

    rows = select(func.count()).select_from(Conversation).where(Conversation.id == sender)
    with database.opened(stack.settings.handoff_url) as engine, engine.connect() as conn:
        assert user_events() and conn.execute(rows).scalar() == 1
        sent = _say(stack, fake_telegram, chat, "/wis")
        assert conn.execute(rows).scalar() == 0
    assert _texts(sent) == channel_text("conversation_erased")
    assert user_events() == []
