"""Telegram connector registered with Rasa at ``/webhooks/telegram/webhook``.

What Rasa's built-in connector lacks: the secret-token header is checked before anything
else; an update is handled once, however often Telegram delivers it; a failure is logged
(without user text) and answered with 200 so Telegram does not redeliver it forever;
``setWebhook`` is never called here (see ``python -m channels.telegram_webhook``).

Anonymity: the conversation id is a keyed hash of the chat id. The chat id itself, needed
to reply, is kept in memory only while the conversation is open (``ChatDirectory``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import html
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

from channels.activity import record_conversation, with_counsellor
from channels.guard import always_answer
from channels.limits import MessageLimits, has_bearer_token, incoming_text
from channels.redis_client import connect_redis
from channels.telegram_api import BotApi, TelegramUnavailable
from channels.texts import response_text
from settings import load_settings

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_CHARS = 4000  # Telegram allows 4096 per message
CHAT_TTL_SECONDS = 2 * 3600  # an idle conversation's chat id is forgotten after this
COMMANDS = {"/start": ("/greet",), "/nieuw": ("/restart",), "/mens": ("/ask_human",)}
NON_TEXT = (
    "sticker", "photo", "voice", "audio", "video", "video_note", "animation", "document",
    "location", "venue", "contact", "poll", "dice",
)  # fmt: skip
UNSUPPORTED = "/unsupported_message"


def conversation_id(chat_id: int | str, key: str) -> str:
    """The sender id Rasa sees: never the chat id in the clear."""
    digest = hmac.new(key.encode(), f"{CHANNEL}:{chat_id}".encode(), hashlib.sha256)
    return "tg-" + digest.hexdigest()[:40]


class ChatDirectory:
    """Conversation id -> chat id and button payloads, in memory, only while in use."""

    def __init__(self, ttl_seconds: float = CHAT_TTL_SECONDS) -> None:
        self.ttl = ttl_seconds
        self._chats: dict[str, tuple[int, float]] = {}
        self._buttons: dict[str, dict[str, str]] = {}

    def _expire(self, now: float) -> None:
        for sender in [s for s, (_, seen) in self._chats.items() if now - seen > self.ttl]:
            self._chats.pop(sender, None)
            self._buttons.pop(sender, None)

    async def remember(self, sender: str, chat_id: int) -> None:
        now = time.monotonic()
        self._expire(now)
        self._chats[sender] = (chat_id, now)

    async def chat_for(self, sender: str) -> int | None:
        self._expire(time.monotonic())
        entry = self._chats.get(sender)
        return entry[0] if entry else None

    async def forget(self, sender: str) -> None:
        self._chats.pop(sender, None)
        self._buttons.pop(sender, None)

    async def button_token(self, sender: str, payload: str) -> str:
        """A short callback_data for a payload (Telegram allows 64 bytes)."""
        token = secrets.token_urlsafe(12)
        buttons = self._buttons.setdefault(sender, {})
        if len(buttons) > 200:
            buttons.clear()
        buttons[token] = payload
        return token

    async def payload_for(self, sender: str, token: str) -> str | None:
        return self._buttons.get(sender, {}).get(token)


class RecentUpdates:
    """The last update ids seen, so that a redelivered update is handled once."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._seen: OrderedDict[int, None] = OrderedDict()

    async def first_time(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True


class RedisChatDirectory:
    """ChatDirectory in Redis (the scaled set-up): every worker can reply to the chat.

    Chat ids and button payloads expire with the conversation's idle time.
    """

    def __init__(self, redis_url: str, ttl_seconds: int = CHAT_TTL_SECONDS) -> None:
        self.redis_url = redis_url
        self.ttl = ttl_seconds
        self._client: Any = None

    def _redis(self) -> Any:
        if self._client is None:
            self._client = connect_redis(self.redis_url, decode_responses=True)
        return self._client

    async def remember(self, sender: str, chat_id: int) -> None:
        await self._redis().set(f"wegwijzer:tg:chat:{sender}", chat_id, ex=self.ttl)

    async def chat_for(self, sender: str) -> int | None:
        value = await self._redis().get(f"wegwijzer:tg:chat:{sender}")
        return int(value) if value else None

    async def forget(self, sender: str) -> None:
        await self._redis().delete(f"wegwijzer:tg:chat:{sender}", f"wegwijzer:tg:buttons:{sender}")

    async def button_token(self, sender: str, payload: str) -> str:
        token = secrets.token_urlsafe(12)
        key = f"wegwijzer:tg:buttons:{sender}"
        await self._redis().hset(key, token, payload)
        await self._redis().expire(key, self.ttl)
        return token

    async def payload_for(self, sender: str, token: str) -> str | None:
        return await self._redis().hget(f"wegwijzer:tg:buttons:{sender}", token)


class RedisRecentUpdates:
    """Update ids seen by any worker, for a day (Telegram redelivers within hours)."""

    def __init__(self, redis_url: str) -> None:
        self._client = connect_redis(redis_url)

    async def first_time(self, update_id: int) -> bool:
        return bool(
            await self._client.set(f"wegwijzer:tg:update:{update_id}", 1, nx=True, ex=86_400)
        )


def split_text(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Split long text at paragraph, line or sentence ends, never inside a word if avoidable."""
    parts = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit
        parts.append(text[: cut + 1].strip())
        text = text[cut + 1 :]
    if text.strip():
        parts.append(text.strip())
    return parts


class TelegramOutput(OutputChannel):
    """Sends bot and counsellor messages to the chat behind a conversation id."""

    def __init__(self, api: BotApi, directory: ChatDirectory | RedisChatDirectory) -> None:
        self.api = api
        self.directory = directory

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def _send(self, chat_id: int, text: str, keyboard: list | None = None) -> None:
        chunks = split_text(text)
        for i, chunk in enumerate(chunks):
            payload: dict[str, Any] = {"chat_id": chat_id, "text": chunk, "parse_mode": "HTML"}
            if keyboard and i == len(chunks) - 1:
                payload["reply_markup"] = {"inline_keyboard": keyboard}
            try:
                await self.api.call("sendMessage", payload)
            except TelegramUnavailable as error:
                # The message stays in the tracker; the person sees it in the console's
                # transcript once they write again. Never user text in the log.
                logger.warning("telegram.send_failed", extra={"error": str(error)})
                return

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        chat_id = await self.directory.chat_for(recipient_id)
        custom = message.get("custom") or {}
        if chat_id is None:
            logger.info("telegram.no_open_chat")
            return
        if message.get("text"):
            text = html.escape(message["text"], quote=False)
            if custom.get("from") == "counsellor":
                label = html.escape(response_text("utter_counsellor_label"), quote=False)
                text = f"<b>{label}:</b> {text}"
            keyboard = [
                [
                    {
                        "text": b["title"],
                        "callback_data": await self.directory.button_token(
                            recipient_id, b["payload"]
                        ),
                    }
                ]
                for b in message.get("buttons") or []
                if b.get("title") and b.get("payload")
            ]
            await self._send(chat_id, text, keyboard or None)
        signal = custom.get("signal") or {}
        if signal:
            await self.signal(recipient_id, signal)

    async def signal(self, recipient_id: str, signal: dict[str, Any]) -> None:
        """Typing shows Telegram's typing action; a closed conversation forgets the chat."""
        chat_id = await self.directory.chat_for(recipient_id)
        if chat_id is None:
            return
        if signal.get("type") == "typing":
            with contextlib.suppress(TelegramUnavailable):
                await self.api.call("sendChatAction", {"chat_id": chat_id, "action": "typing"})
        elif signal.get("status") == "closed":
            await self.directory.forget(recipient_id)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


class TelegramInput(InputChannel):
    """Input channel for a Telegram bot."""

    def __init__(
        self,
        token: str,
        secret_token: str,
        api_url: str,
        id_key: str,
        rasa_token: str | None,
        limits: MessageLimits | None = None,
        redis_url: str | None = None,
    ) -> None:
        self.secret_token = secret_token
        self.id_key = id_key
        self.rasa_token = rasa_token
        self.api = BotApi(api_url, token)
        self.directory: ChatDirectory | RedisChatDirectory = (
            RedisChatDirectory(redis_url) if redis_url else ChatDirectory()
        )
        self.updates: RecentUpdates | RedisRecentUpdates = (
            RedisRecentUpdates(redis_url) if redis_url else RecentUpdates()
        )
        self.limits = limits or MessageLimits(0, 0)
        self._background: set[asyncio.Task] = set()

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Its section of bot/credentials-telegram.yml: ``access_token``, ``secret_token`` and
        ``signal_token`` are required; ``api_url`` and ``id_hash_key`` may be empty."""
        credentials = credentials or {}
        missing = [
            key
            for key in ("access_token", "secret_token", "signal_token")
            if not credentials.get(key)
        ]
        if missing:
            raise RasaException(
                f"The Telegram channel needs {', '.join(missing)} in its section of the "
                "credentials file."
            )
        settings = load_settings()
        return cls(
            token=str(credentials["access_token"]),
            secret_token=str(credentials["secret_token"]),
            api_url=str(credentials.get("api_url") or "https://api.telegram.org").rstrip("/"),
            id_key=str(credentials.get("id_hash_key") or credentials["secret_token"]),
            rasa_token=str(credentials["signal_token"]),
            limits=MessageLimits(settings.messages_per_conversation, 0),
            redis_url=settings.redis_url if settings.scaled else None,
        )

    def get_output_channel(self) -> OutputChannel | None:
        return TelegramOutput(self.api, self.directory)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("telegram_webhook", __name__)
        on_new_message = always_answer(on_new_message, with_counsellor)

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @telegram.route("/webhook", methods=["POST"])
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

        @telegram.route("/signal", methods=["POST"])
        async def signal(request: Request) -> response.HTTPResponse:
            if not has_bearer_token(request, self.rasa_token):
                return response.json({"error": "forbidden"}, status=403)
            body = request.json or {}
            frame = body.get("signal")
            if isinstance(frame, dict):
                await TelegramOutput(self.api, self.directory).signal(
                    str(body.get("conversation_id", "")), frame
                )
            return response.json({"ok": True})

        return telegram

    async def _handle(
        self, update: dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        if "callback_query" in update:
            query = update["callback_query"]
            with contextlib.suppress(TelegramUnavailable):
                await self.api.call("answerCallbackQuery", {"callback_query_id": query.get("id")})
            chat = ((query.get("message") or {}).get("chat")) or {}
            if chat.get("type") != "private":
                return
            sender = conversation_id(chat["id"], self.id_key)
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
        sender = conversation_id(chat["id"], self.id_key)
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            texts = self._texts_for(text.strip())
            if texts and texts[0] == "/restart":
                await self.directory.forget(sender)
        elif any(kind in message for kind in NON_TEXT):
            texts = [UNSUPPORTED]
        else:
            return
        await self._pass_on(chat["id"], sender, texts, on_new_message)

    @staticmethod
    def _texts_for(text: str) -> list[str]:
        command = text.split()[0].split("@")[0].lower()
        if command in COMMANDS:
            return list(COMMANDS[command])
        # Anything else typed with a slash is text, never an intent someone injects.
        return [incoming_text(text.lstrip("/"))]

    async def _pass_on(
        self,
        chat_id: int,
        sender: str,
        texts: list[str],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        await self.directory.remember(sender, chat_id)
        output = TelegramOutput(self.api, self.directory)
        if not self.limits.allow(sender, None):
            await output.send_response(sender, {"text": response_text("utter_slow_down")})
            return
        await asyncio.to_thread(record_conversation, sender, CHANNEL)
        for text in texts:
            typing = asyncio.create_task(output.signal(sender, {"type": "typing"}))
            self._background.add(typing)
            typing.add_done_callback(self._background.discard)
            await on_new_message(UserMessage(text, output, sender, input_channel=CHANNEL))
