"""Rasa's REST channel with redaction at the edge, still at ``/webhooks/rest/webhook``.

A REST client chooses its sender ids, as with Rasa's channel, except those of the
widget's or Telegram's shape (``privacy.channel_ids.reserved_by``): those channels issue
them, and a REST client may not write into their conversations (400).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from channels.guard import GuardedInput, OnNewMessage
from channels.texts import channel_text
from privacy.channel_ids import reserved_by

logger = logging.getLogger(__name__)


class RedactingRestInput(GuardedInput, RestInput):
    """The standard synchronous REST channel (``?stream=true`` streams as Rasa's does);
    what the person typed is redacted first, a conversation over its limit gets 429."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        # Like Rasa's REST channel it needs no credentials; its limits are the deployment's.
        return cls(cls.configured_limits())

    def add_routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Any:
            if not isinstance(request.json, dict):  # not JSON at all: Sanic answers 400
                return response.json({"error": "a JSON object is expected"}, status=400)
            sender = await self._extract_sender(request)
            if sender is not None and reserved_by(str(sender)):
                text = channel_text("conversation_of_another_channel")
                return response.json([{"recipient_id": str(sender), "text": text}], status=400)
            if not self.limits.allow(str(sender or ""), request.ip):
                refusal = {"recipient_id": str(sender or ""), "text": self.slow_down()}
                return response.json([refusal], status=429)
            text = self._extract_message(request)
            input_channel = self._extract_input_channel(request)
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(on_new_message, text, sender, input_channel, None),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=input_channel)
                )
            except asyncio.CancelledError:  # the client went away; never the text in the log
                logger.warning("rest.message_cancelled")
            return response.json(collector.messages)

    def _extract_message(self, req: Request) -> str | None:
        text = super()._extract_message(req)
        if not isinstance(text, str):
            return text
        return self.redacted(text)
