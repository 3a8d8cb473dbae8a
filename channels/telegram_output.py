"""Telegram's output channel: bot and counsellor messages to the chat behind a conversation.

Text goes as HTML-escaped ``sendMessage`` (long text split), buttons as an inline keyboard
whose callback data is a short token (``ChatDirectory.button_token``), an image as
``sendPhoto``, an attachment as a link, a custom payload's ``text`` as a message. A failing
Bot API call is logged without user text and given up: the message stays in the tracker.
"""

from __future__ import annotations

import contextlib
import html
import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel

from channels.guard import from_counsellor, http_url, shown_custom
from channels.telegram_api import BotApi, TelegramUnavailable
from channels.telegram_state import ChatDirectory, RedisChatDirectory
from channels.texts import response_text

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_CHARS = 4000  # Telegram allows 4096 per message


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

    async def _chat(self, recipient_id: str) -> int | None:
        chat_id = await self.directory.chat_for(recipient_id)
        if chat_id is None:
            logger.info("telegram.no_open_chat")
        return chat_id

    async def _call(self, method: str, payload: dict[str, Any]) -> bool:
        try:
            await self.api.call(method, payload)
            return True
        except TelegramUnavailable as error:
            # The message stays in the tracker; the person sees it in the console's
            # transcript once they write again. Never user text in the log.
            logger.warning("telegram.send_failed", extra={"error": str(error)})
            return False

    async def _send(self, chat_id: int, text: str, keyboard: list | None = None) -> None:
        """``text`` (HTML) to the chat, split when long; the keyboard under the last part."""
        chunks = split_text(text)
        for i, chunk in enumerate(chunks):
            payload: dict[str, Any] = {"chat_id": chat_id, "text": chunk, "parse_mode": "HTML"}
            if keyboard and i == len(chunks) - 1:
                payload["reply_markup"] = {"inline_keyboard": keyboard}
            if not await self._call("sendMessage", payload):
                return

    @staticmethod
    def _html(text: str | None, kwargs: dict[str, Any]) -> str:
        """Escaped text, labelled when a counsellor wrote it."""
        escaped = html.escape(text or "", quote=False)
        if escaped and from_counsellor(kwargs):
            label = html.escape(response_text("utter_counsellor_label"), quote=False)
            return f"<b>{label}:</b> {escaped}"
        return escaped

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        chat_id = await self._chat(recipient_id)
        if chat_id is not None:
            await self._send(chat_id, self._html(text, kwargs))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        chat_id = await self._chat(recipient_id)
        if chat_id is None:
            return
        keyboard = [
            [
                {
                    "text": b["title"],
                    "callback_data": await self.directory.button_token(recipient_id, b["payload"]),
                }
            ]
            for b in buttons
            if b.get("title") and b.get("payload")
        ]
        await self._send(chat_id, self._html(text, kwargs), keyboard or None)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        url, chat_id = http_url(image, "image"), await self._chat(recipient_id)
        if url and chat_id is not None:
            await self._call("sendPhoto", {"chat_id": chat_id, "photo": url})

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        url, chat_id = http_url(attachment, "attachment"), await self._chat(recipient_id)
        if url and chat_id is not None:
            await self._send(chat_id, html.escape(url, quote=False))  # Telegram links it

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """A status ``signal`` acts on the chat; a payload's ``text`` is sent as a message."""
        if json_message.get("signal"):
            await self.signal(recipient_id, json_message["signal"])
        payload = shown_custom(json_message)
        if isinstance(payload.get("text"), str):
            await self.send_text_message(recipient_id, payload["text"], custom=json_message)
        elif payload:
            logger.info("telegram.custom_not_shown", extra={"keys": sorted(payload)})

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
