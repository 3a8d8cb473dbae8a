"""The web chat widget's connector: a WebSocket registered with Rasa.

The browser connects to ``/webhooks/widget/ws`` (no conversation id in the URL, which
proxies log) and says ``hello`` first. The server issues the conversation id
(``privacy.channel_ids.WidgetIds``: random, with a MAC) and the browser keeps it in
sessionStorage; a returning browser brings it back in its ``hello``. An id this server did
not issue (its MAC does not verify, or it has another channel's shape) is refused with an
``error`` frame (``reason`` ``conversation``) and a fresh one issued, so no client can
choose, guess or take over a conversation id. Bot replies, counsellor messages (appended
by the console through Rasa's HTTP API with ``output_channel=latest``) and status signals
(queue position, typing) are pushed to every socket open on that conversation.

Frames to the browser (JSON): ``conversation`` (``id``: the answer to ``hello``), then
``ready``; ``message`` (``from``, ``text``, ``buttons``); ``image`` and ``attachment``
(``from``, ``url``: http(s) only); ``custom`` (``payload``: a response's custom JSON, for
the page that embeds the widget); ``typing``, ``idle``, ``status``, ``erased``, ``error``
and ``language`` (``language``: the conversation's language after a message, nl, en or
fr, so that the widget's own labels follow a language the person switched to by writing
in it). Frames from the browser: ``hello`` (first; ``conversation``: the id it was given
before, if any), then ``message`` and ``erase``.

Limits (``channels.limits.SocketLimits``): every frame from the browser, whatever its type,
counts for the socket's and the address's rate limits (``error`` with ``reason`` ``rate``
over them); an address over its number of open sockets is closed with 1008, a frame over
the app's message size limit (``channels.edge``) with 1009.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.stores import StoreUnavailable
from channels.guard import (
    COUNSELLOR,
    GuardedInput,
    OnNewMessage,
    from_counsellor,
    http_url,
    shown_custom,
)
from channels.limits import EMPTY, MessageLimits, RateLimiter, SocketLimits, has_bearer_token
from channels.widget_sockets import SocketRegistry
from privacy.channel_ids import WIDGET_ID, WidgetIds
from privacy.retention import erase_conversation
from settings import load_settings

logger = logging.getLogger(__name__)

WIDGET_LANGUAGES = ("nl", "en", "fr")  # the languages of the widget's labels (widget.js)


class WidgetOutput(OutputChannel):
    """Pushes bot and counsellor messages to the widget's sockets, one frame per part."""

    def __init__(self, registry: SocketRegistry) -> None:
        self.registry = registry

    @classmethod
    def name(cls) -> str:
        return "widget"

    async def _push(
        self, recipient_id: str, kind: str, kwargs: dict[str, Any], **parts: Any
    ) -> None:
        sender = COUNSELLOR if from_counsellor(kwargs) else "bot"
        await self.registry.send(recipient_id, {"type": kind, "from": sender, **parts})

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._push(recipient_id, "message", kwargs, text=text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        shown = [{"title": b.get("title", ""), "payload": b.get("payload", "")} for b in buttons]
        await self._push(recipient_id, "message", kwargs, text=text or "", buttons=shown)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        url = http_url(image, "image")
        if url:
            await self._push(recipient_id, "image", kwargs, url=url)

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        url = http_url(attachment, "attachment")
        if url:
            await self._push(recipient_id, "attachment", kwargs, url=url)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """A status ``signal`` goes to the widget as it is; any other payload in a frame."""
        if json_message.get("signal"):
            await self.registry.send(recipient_id, json_message["signal"])
        payload = shown_custom(json_message)
        if payload:
            await self._push(recipient_id, "custom", {"custom": json_message}, payload=payload)


class WidgetInput(GuardedInput):
    """Input channel of the embeddable web chat widget."""

    def __init__(
        self,
        signal_token: str | None = None,
        limits: MessageLimits | None = None,
        origins: tuple[str, ...] = (),
        redis_url: str | None = None,
        sockets: SocketLimits | None = None,
        ids: WidgetIds | None = None,
    ) -> None:
        super().__init__(limits)
        self.ids = ids or WidgetIds(os.urandom(32))  # ids that outlive no restart
        self.sockets = sockets or SocketLimits(0, 0, 0)
        self.signal_token = signal_token
        self.registry = SocketRegistry(redis_url)
        self.origins = origins

    @classmethod
    def name(cls) -> str:
        return "widget"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        settings = load_settings()
        return cls(
            signal_token=cls.required_credential(credentials, "signal_token"),
            limits=cls.configured_limits(per_address=False),  # every frame counts per address
            origins=settings.widget_origins,
            redis_url=settings.redis_url if settings.scaled else None,
            sockets=SocketLimits(
                settings.sockets_per_address,
                settings.frames_per_socket,
                settings.messages_per_address,
            ),
            ids=WidgetIds.from_settings(settings.id_hash_key, settings.var_dir),
        )

    def get_output_channel(self) -> OutputChannel | None:
        return WidgetOutput(self.registry)

    def add_routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        @blueprint.route("/signal", methods=["POST"])
        async def signal(request: Request) -> response.HTTPResponse:
            """Typing and queue status from the console: shown, never stored."""
            if not has_bearer_token(request, self.signal_token):
                return response.json({"error": "forbidden"}, status=403)
            body = request.json or {}
            conversation_id = str(body.get("conversation_id", ""))
            frame = body.get("signal")
            if not WIDGET_ID.match(conversation_id) or not isinstance(frame, dict):
                return response.json({"error": "bad request"}, status=400)
            reached = await self.registry.send(conversation_id, frame)
            return response.json({"reached": reached})

        @blueprint.websocket("/ws")
        async def chat(request: Request, socket: Any) -> None:
            if "conversation" in request.args:  # the id travels in the hello frame only
                await socket.close(code=4400, reason="conversation id belongs in hello")
                return
            if self.origins and request.headers.get("origin") not in self.origins:
                await socket.close(code=4403, reason="origin")
                return
            address = request.ip  # kept in memory for the limits only
            frames = self.sockets.open_socket(address)
            if frames is None:
                await socket.close(code=1008, reason="too many sockets from this address")
                return
            conversation_id = None
            try:
                while True:
                    raw = await socket.recv()
                    if raw is None:
                        break
                    if conversation_id is None:
                        conversation_id = await self._hello(raw, socket, address, frames)
                        continue
                    handled = await self._handle_frame(
                        raw, conversation_id, address, frames, on_new_message
                    )
                    if handled:
                        await self._send_language(request.app.ctx.agent, conversation_id)
            finally:
                if conversation_id is not None:
                    self.registry.remove(conversation_id, socket)
                self.sockets.close_socket(address)

    async def _hello(
        self, raw: str | bytes, socket: Any, address: str | None, frames: RateLimiter
    ) -> str | None:
        """The conversation of a socket, from its first frame: the id a ``hello`` brings
        back when this server issued it, else a fresh one. None (with an error frame) until
        a ``hello`` comes; it counts for the limits like any frame."""
        if not self.sockets.allow_frame(frames, address):
            await socket.send(json.dumps(self._rate_frame()))
            return None
        try:
            frame = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            frame = None
        if not isinstance(frame, dict) or frame.get("type") != "hello":
            await socket.send(json.dumps({"type": "error", "reason": "hello"}))
            return None
        claimed = frame.get("conversation")
        if isinstance(claimed, str) and self.ids.verify(claimed):
            conversation_id = claimed
        else:
            if claimed is not None:  # not issued here, or another channel's: never taken
                logger.info("widget.conversation_refused")
                await socket.send(json.dumps({"type": "error", "reason": "conversation"}))
            conversation_id = self.ids.issue()
        await self.registry.add(conversation_id, socket)
        await socket.send(json.dumps({"type": "conversation", "id": conversation_id}))
        await socket.send(json.dumps({"type": "ready"}))  # from now on frames arrive
        return conversation_id

    async def _handle_frame(
        self,
        raw: str | bytes,
        conversation_id: str,
        address: str | None,
        frames: RateLimiter,
        on_new_message: OnNewMessage,
    ) -> bool:
        """Handle one frame from the browser; True when it was a message Rasa answered.

        Every frame, whatever its type, counts for the socket's and the address's limits
        (``frames``, ``self.sockets``); a message also for its conversation's.
        """
        if not self.sockets.allow_frame(frames, address):
            await self._refuse_rate(conversation_id)
            return False
        try:
            frame = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            frame = None
        if isinstance(frame, dict) and frame.get("type") == "erase":
            settings = load_settings()
            await asyncio.to_thread(
                erase_conversation,
                settings.tracker_url,
                settings.handoff_url,
                conversation_id,
                settings.redis_url if settings.scaled else None,
            )
            await self.registry.send(conversation_id, {"type": "erased"})
            return False
        if not isinstance(frame, dict) or frame.get("type") != "message":
            await self.registry.send(conversation_id, {"type": "error", "reason": "frame"})
            return False
        if not self.limits.allow(conversation_id, None):  # the address counted above
            await self._refuse_rate(conversation_id)
            return False
        text = self.redacted(str(frame.get("text") or ""))
        if text == EMPTY:
            await self.registry.send(conversation_id, {"type": "error", "reason": "empty"})
            return False
        await self.registry.send(conversation_id, {"type": "typing", "from": "bot"})
        await self.record(conversation_id)
        output = WidgetOutput(self.registry)
        await on_new_message(UserMessage(text, output, conversation_id, input_channel=self.name()))
        await self.registry.send(conversation_id, {"type": "idle"})
        return True

    def _rate_frame(self) -> dict[str, str]:
        return {"type": "error", "reason": "rate", "text": self.slow_down()}

    async def _refuse_rate(self, conversation_id: str) -> None:
        await self.registry.send(conversation_id, self._rate_frame())

    async def _send_language(self, agent: Any, conversation_id: str) -> None:
        """Tell the widget the conversation's language (the ``language`` slot), when it is
        one the widget has labels for; nothing when the store cannot be read."""
        try:
            tracker = await agent.tracker_store.retrieve(conversation_id)
        except (Exception, StoreUnavailable):  # the message was answered; labels can wait
            return
        language = tracker.get_slot("language") if tracker else None
        if language in WIDGET_LANGUAGES:
            await self.registry.send(conversation_id, {"type": "language", "language": language})
