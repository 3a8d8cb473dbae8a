"""What every connector a person types into does, whatever its transport.

``GuardedInput`` is the base of the widget, Telegram and REST connectors: a health route,
the size limits of Rasa's app (``channels.edge``), the message limits, redaction of what
was typed before Rasa sees it, no client metadata in the tracker, and an answer to every
message (``always_answer``).

Every message gets an answer, also when the action server or a database is down. Rasa
goes on without the events of a custom action that fails (it logs the error and sends
nothing). ``always_answer`` notices that no reply was sent while the bot was in charge,
and says so in Dutch, with the crisis lines, since the crisis response itself is a custom
action. When Rasa cannot handle the message at all (the tracker store or the lock store is
unreachable), nothing of it was stored: the person is told so and asked to send it again,
so that no message is taken in and then lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

import database
from bot.stores import StoreUnavailable
from channels.activity import record_conversation, with_counsellor
from channels.edge import EdgeBlueprint
from channels.limits import MessageLimits, incoming_text
from channels.texts import response_text
from settings import load_settings

logger = logging.getLogger(__name__)

COUNSELLOR = "counsellor"  # custom {"from": "counsellor"}: a counsellor's message, not the bot's
OWN_CUSTOM_KEYS = ("from", "signal")  # the custom keys the connectors themselves act on

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class CountingOutput(OutputChannel):
    """Passes everything on to ``inner`` and counts what was sent."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    @classmethod
    def name(cls) -> str:
        return "counting"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)


def always_answer(
    on_new_message: OnNewMessage, paused: Callable[[str], Awaitable[bool]] | None = None
) -> OnNewMessage:
    """``on_new_message`` that sends ``utter_cannot_look_up`` when Rasa sent nothing back,
    ``utter_not_received`` when Rasa failed on the message.

    ``paused(sender)`` tells whether a counsellor has the conversation: then silence is
    right, not a fault.
    """

    async def guarded(message: UserMessage) -> Any:
        counting = CountingOutput(message.output_channel)
        message.output_channel = counting
        try:
            result = await on_new_message(message)
        except (Exception, StoreUnavailable) as error:  # a store is down: nothing was kept
            logger.warning("message.not_processed", extra={"error": type(error).__name__})
            await counting.inner.send_text_message(
                message.sender_id, response_text("utter_not_received")
            )
            return None
        if counting.sent == 0 and not (paused and await paused(message.sender_id)):
            await counting.inner.send_text_message(
                message.sender_id, response_text("utter_cannot_look_up")
            )
        return result

    return guarded


def from_counsellor(message_kwargs: dict[str, Any]) -> bool:
    """Whether the bot message whose other parts are ``message_kwargs`` is a counsellor's."""
    custom = message_kwargs.get("custom")
    return isinstance(custom, dict) and custom.get("from") == COUNSELLOR


def http_url(value: Any, part: str) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None (logged): what a connector
    may show as the response's ``part`` (an image, an attachment)."""
    url = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    logger.warning("message.url_not_http", extra={"part": part})
    return None


def shown_custom(json_message: dict[str, Any]) -> dict[str, Any]:
    """A custom payload without the keys the connectors act on themselves."""
    return {k: v for k, v in json_message.items() if k not in OWN_CUSTOM_KEYS}


class GuardedInput(InputChannel):
    """Base of the connectors people type into.

    Subclasses add their routes in ``add_routes``; the ``on_new_message`` they get already
    answers every message. They pass what was typed through ``redacted`` and check
    ``limits`` before handing a message to Rasa.
    """

    def __init__(self, limits: MessageLimits | None = None) -> None:
        self.limits = limits or MessageLimits(0, 0)

    @staticmethod
    def configured_limits(per_address: bool = True) -> MessageLimits:
        """MESSAGES_PER_CONVERSATION and MESSAGES_PER_ADDRESS (a minute each) of the deployment."""
        settings = load_settings()
        return MessageLimits(
            settings.messages_per_conversation,
            settings.messages_per_address if per_address else 0,
        )

    @classmethod
    def required_credential(cls, credentials: dict[str, Any] | None, key: str) -> str:
        """``key`` of this channel's section in credentials.yml; missing or empty stops Rasa."""
        value = (credentials or {}).get(key)
        if value is None or not str(value).strip():
            raise RasaException(
                f"The {cls.name()} channel needs '{key}' in its section "
                f"'{cls.__module__}.{cls.__qualname__}' of the credentials file "
                "(bot/credentials*.yml take it from an environment variable)."
            )
        return str(value).strip()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa mounts it at /webhooks/<name>; registered, it caps the app's request bodies
        (MAX_BODY_BYTES) and socket messages (MAX_FRAME_BYTES). Rasa mounts the channels
        before it opens its tracker store: from here on, SQLite overwrites deleted rows."""
        database.overwrite_deleted_rows_everywhere()
        settings = load_settings()
        blueprint = EdgeBlueprint(
            f"{self.name()}_webhook",
            body_bytes=settings.max_body_bytes,
            frame_bytes=settings.max_frame_bytes,
        )

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        self.add_routes(blueprint, always_answer(on_new_message, with_counsellor))
        return blueprint

    def add_routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        """The connector's own routes; ``on_new_message`` answers every message."""
        raise NotImplementedError

    @staticmethod
    def redacted(text: str) -> str:
        """What Rasa may see of a typed message: cleaned and redacted, or a refusal payload."""
        return incoming_text(text)

    @staticmethod
    def slow_down() -> str:
        """What a conversation over its message limit is told."""
        return response_text("utter_slow_down")

    async def record(self, conversation_id: str) -> None:
        """Mark the conversation active in the handoff store (the console's live view)."""
        await asyncio.to_thread(record_conversation, conversation_id, self.name())

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None  # client metadata is never stored in the tracker
