"""Rasa's REST channel with redaction at the edge, still at ``/webhooks/rest/webhook``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from channels.activity import with_counsellor
from channels.guard import always_answer
from channels.limits import MessageLimits, incoming_text
from channels.texts import response_text
from settings import load_settings


class RedactingRestInput(RestInput):
    """The standard synchronous REST channel; what the person typed is redacted first."""

    def __init__(self, limits: MessageLimits | None = None) -> None:
        self.limits = limits or MessageLimits(0, 0)

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        settings = load_settings()
        return cls(MessageLimits(settings.messages_per_conversation, settings.messages_per_address))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(always_answer(on_new_message, with_counsellor))

        @blueprint.middleware("request")
        async def rate_limit(request: Request) -> response.HTTPResponse | None:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            body = request.json if isinstance(request.json, dict) else {}
            sender = str(body.get("sender") or "")
            if not self.limits.allow(sender, request.ip):
                refusal = {"recipient_id": sender, "text": response_text("utter_slow_down")}
                return response.json([refusal], status=429)
            return None

        return blueprint

    def _extract_message(self, req: Request) -> str | None:
        text = super()._extract_message(req)
        if not isinstance(text, str):
            return text
        return incoming_text(text)

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None  # client metadata is never stored in the tracker
