"""Telegram connector registered with Rasa at ``/webhooks/telegram/webhook``.

What Rasa's built-in connector lacks: the secret-token header is checked before anything
else; an update is handled once, however often Telegram delivers it; a failure is logged
(without user text) and answered with 200 so Telegram does not redeliver it forever;
``setWebhook`` is never called here (see ``python -m channels.telegram_webhook``).

Anonymity: the conversation id is a keyed hash of the chat id. The chat id itself, needed
to reply, is kept only while the conversation is open (``ChatDirectory``): in memory, or
sealed with AES-GCM in Redis in the scaled set-up. Both keys derive from ``id_hash_key``
(``privacy.channel_ids``), never from the secret token Telegram sends with every update.
``/wis`` erases the conversation, as the widget's "Wis gesprek" does.

Its section in the credentials file (``bot/credentials-telegram.yml``): ``access_token``,
``secret_token``, ``id_hash_key`` (ID_HASH_KEY, at least 32 characters) and
``signal_token`` (the Rasa API token that guards the console's signals) are required;
``api_url`` (default Telegram's) may be empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

from channels.guard import GuardedInput, OnNewMessage
from channels.limits import MessageLimits, has_bearer_token
from channels.telegram_api import BotApi, TelegramUnavailable
from channels.telegram_output import CHANNEL, TelegramOutput
from channels.telegram_state import (
    ChatDirectory,
    RecentUpdates,
    RedisChatDirectory,
    RedisRecentUpdates,
)
from channels.texts import channel_text
from privacy.channel_ids import TELEGRAM_PREFIX, ChannelIdKeys, key_problem
from privacy.retention import erase_conversation
from settings import load_settings

logger = logging.getLogger(__name__)

TELEGRAM_API_URL = "https://api.telegram.org"
COMMANDS = {"/start": ("/greet",), "/nieuw": ("/restart",), "/mens": ("/ask_human",)}
ERASE = "/wis"  # erases the conversation, as the widget's "Wis gesprek"
NON_TEXT = (
    "sticker", "photo", "voice", "audio", "video", "video_note", "animation", "document",
    "location", "venue", "contact", "poll", "dice",
)  # fmt: skip
UNSUPPORTED = "/unsupported_message"
# Languages the assistant speaks besides Dutch: a Telegram app set to one of them starts the
# conversation in it (the language_code hint); typing in another language switches again.
HINTED_LANGUAGES = ("en", "fr")


def language_hint(message: dict[str, Any]) -> str | None:
    """English or French when the person's Telegram app is set to it, else None (Dutch)."""
    code = str((message.get("from") or {}).get("language_code") or "")[:2].lower()
    return code if code in HINTED_LANGUAGES else None


def conversation_id(chat_id: int | str, keys: ChannelIdKeys) -> str:
    """The sender id Rasa sees: never the chat id in the clear."""
    return TELEGRAM_PREFIX + keys.pseudonym(CHANNEL, chat_id)


def _command(text: str) -> str:
    """The command a message starts with ("/mens@wegwijzer_bot" -> "/mens")."""
    return text.split()[0].split("@")[0].lower()


class TelegramInput(GuardedInput):
    """Input channel for a Telegram bot."""

    def __init__(
        self,
        access_token: str,
        secret_token: str,
        api_url: str,
        id_keys: ChannelIdKeys,
        signal_token: str | None,
        limits: MessageLimits | None = None,
        redis_url: str | None = None,
    ) -> None:
        super().__init__(limits)
        self.secret_token = secret_token
        self.id_keys = id_keys
        self.signal_token = signal_token
        self.redis_url = redis_url
        self.api = BotApi(api_url, access_token)
        self.directory: ChatDirectory | RedisChatDirectory = (
            RedisChatDirectory(redis_url, id_keys) if redis_url else ChatDirectory()
        )
        self.updates: RecentUpdates | RedisRecentUpdates = (
            RedisRecentUpdates(redis_url) if redis_url else RecentUpdates()
        )
        self._background: set[asyncio.Task] = set()

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        secret_token = cls.required_credential(credentials, "secret_token")
        id_hash_key = str(credentials.get("id_hash_key") or "").strip()
        problem = key_problem(id_hash_key, secret_token)
        if problem:
            raise RasaException(
                f"The {CHANNEL} channel needs 'id_hash_key' (ID_HASH_KEY in the environment, "
                f"which bot/credentials-telegram.yml reads): {problem}"
            )
        settings = load_settings()
        return cls(
            access_token=cls.required_credential(credentials, "access_token"),
            secret_token=secret_token,
            api_url=str(credentials.get("api_url") or TELEGRAM_API_URL).rstrip("/"),
            id_keys=ChannelIdKeys.from_setting(id_hash_key),
            signal_token=cls.required_credential(credentials, "signal_token"),
            limits=cls.configured_limits(per_address=False),  # Telegram shows no address
            redis_url=settings.redis_url if settings.scaled else None,
        )

    def get_output_channel(self) -> OutputChannel | None:
        return TelegramOutput(self.api, self.directory)

    def add_routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> response.HTTPResponse:
            given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = request.json
            except Exception:  # not JSON: nothing Telegram would send; do not redeliver
                update = None
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                return response.json({"ok": True})
            if not await self.updates.first_time(update["update_id"]):
                return response.json({"ok": True, "duplicate": True})
            try:
                await self._handle(update, on_new_message)
            except Exception as error:  # answered 200: a broken update must not loop
                logger.warning("telegram.update_failed", extra={"error": type(error).__name__})
            return response.json({"ok": True})

        @blueprint.route("/signal", methods=["POST"])
        async def signal(request: Request) -> response.HTTPResponse:
            if not has_bearer_token(request, self.signal_token):
                return response.json({"error": "forbidden"}, status=403)
            body = request.json or {}
            frame = body.get("signal")
            if isinstance(frame, dict):
                await TelegramOutput(self.api, self.directory).signal(
                    str(body.get("conversation_id", "")), frame
                )
            return response.json({"ok": True})

    async def _handle(self, update: dict[str, Any], on_new_message: OnNewMessage) -> None:
        if "callback_query" in update:
            query = update["callback_query"]
            with contextlib.suppress(TelegramUnavailable):
                await self.api.call("answerCallbackQuery", {"callback_query_id": query.get("id")})
            chat = ((query.get("message") or {}).get("chat")) or {}
            if chat.get("type") != "private":
                return
            sender = conversation_id(chat["id"], self.id_keys)
            payload = await self.directory.payload_for(sender, str(query.get("data", "")))
            if payload:
                await self._pass_on(chat["id"], sender, [payload], on_new_message)
            return
        message = update.get("message")
        if not isinstance(message, dict):
            return  # edited messages, channel posts, member updates: ignored by design
        chat = message.get("chat") or {}
        if chat.get("type") != "private":
            return  # group chats: this is a one-to-one service
        sender = conversation_id(chat["id"], self.id_keys)
        text = message.get("text")
        if isinstance(text, str) and text.strip() and _command(text) == ERASE:
            await self._erase(chat["id"], sender, language_hint(message))
            return
        if isinstance(text, str) and text.strip():
            texts = self._texts_for(text.strip(), language_hint(message))
            if texts and texts[0] == "/restart":
                await self.directory.forget(sender)
        elif any(kind in message for kind in NON_TEXT):
            texts = [UNSUPPORTED]
        else:
            return
        await self._pass_on(chat["id"], sender, texts, on_new_message)

    async def _erase(self, chat_id: int, sender: str, hint: str | None) -> None:
        """Delete the conversation everywhere (tracker, handoff store, chat id and buttons)
        and confirm it to the chat, in the language of the person's Telegram app. It counts
        for the conversation's message limit, like the widget's erase frames."""
        if not self.limits.allow(sender, None):
            with contextlib.suppress(TelegramUnavailable):
                await self.api.call("sendMessage", {"chat_id": chat_id, "text": self.slow_down()})
            return
        settings = load_settings()
        await asyncio.to_thread(
            erase_conversation,
            settings.tracker_url,
            settings.handoff_url,
            sender,
            self.redis_url,
        )
        await self.directory.forget(sender)
        with contextlib.suppress(TelegramUnavailable):
            await self.api.call(
                "sendMessage",
                {"chat_id": chat_id, "text": channel_text("conversation_erased", hint)},
            )

    @classmethod
    def _texts_for(cls, text: str, hint: str | None = None) -> list[str]:
        command = _command(text)
        if command == "/start" and hint:
            return ["/choose_language" + json.dumps({"language": hint})]
        if command in COMMANDS:
            return list(COMMANDS[command])
        # Anything else typed with a slash is text, never an intent someone injects.
        return [cls.redacted(text.lstrip("/"))]

    async def _pass_on(
        self, chat_id: int, sender: str, texts: list[str], on_new_message: OnNewMessage
    ) -> None:
        await self.directory.remember(sender, chat_id)
        output = TelegramOutput(self.api, self.directory)
        if not self.limits.allow(sender, None):
            await output.send_text_message(sender, self.slow_down())
            return
        await self.record(sender)
        for text in texts:
            typing = asyncio.create_task(output.signal(sender, {"type": "typing"}))
            self._background.add(typing)
            typing.add_done_callback(self._background.discard)
            await on_new_message(UserMessage(text, output, sender, input_channel=CHANNEL))
