"""The web chat widget's connector: a WebSocket registered with Rasa.

The browser keeps a random conversation id in sessionStorage and connects to
``/webhooks/widget/ws?conversation=<id>``. Bot replies, counsellor messages (appended by
the console through Rasa's HTTP API with ``output_channel=latest``) and status signals
(queue position, typing) are pushed to every socket open on that conversation.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

from channels.activity import record_conversation, with_counsellor
from channels.guard import always_answer
from channels.limits import EMPTY, MessageLimits, has_bearer_token, incoming_text
from channels.redis_client import connect_redis
from channels.texts import response_text
from privacy.retention import erase_conversation
from settings import load_settings

logger = logging.getLogger(__name__)

CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
COUNSELLOR = "counsellor"
SUBSCRIBE_WAIT_S = 2.0  # how long a new socket waits for Redis pub/sub before going on


class SocketRegistry:
    """The open sockets per conversation id.

    With ``redis_url`` (the scaled set-up) a frame is published on Redis and every worker
    delivers it to the sockets it holds, so it reaches the person whichever process
    handled the message or the counsellor's request.
    """

    CHANNEL = "wegwijzer:widget"

    def __init__(self, redis_url: str | None = None) -> None:
        self._sockets: dict[str, set[Any]] = defaultdict(set)
        self._redis_url = redis_url
        self._redis: Any = None
        self._listener: asyncio.Task | None = None
        self._subscribed: asyncio.Event | None = None

    async def add(self, conversation_id: str, socket: Any) -> None:
        """Hold ``socket``; with Redis, only once this worker listens (or Redis is down)."""
        self._sockets[conversation_id].add(socket)
        if not self._redis_url:
            return
        if self._listener is None:
            self._subscribed = asyncio.Event()
            self._listener = asyncio.get_running_loop().create_task(self._listen())
        try:  # a frame published before the subscription would be lost
            await asyncio.wait_for(self._subscribed.wait(), timeout=SUBSCRIBE_WAIT_S)
        except asyncio.TimeoutError:
            logger.warning("widget.not_subscribed")

    def remove(self, conversation_id: str, socket: Any) -> None:
        self._sockets[conversation_id].discard(socket)
        if not self._sockets[conversation_id]:
            del self._sockets[conversation_id]

    async def send(self, conversation_id: str, frame: dict[str, Any]) -> int:
        """Send a JSON frame to every socket of the conversation; the number reached here."""
        if self._redis_url:
            try:
                await self._publisher().publish(
                    self.CHANNEL, json.dumps({"id": conversation_id, "frame": frame})
                )
                return 1
            except Exception as error:  # Redis is down: at least the sockets held here
                logger.warning("widget.publish_failed", extra={"error": type(error).__name__})
        return await self._deliver(conversation_id, frame)

    async def _deliver(self, conversation_id: str, frame: dict[str, Any]) -> int:
        data = json.dumps(frame, ensure_ascii=False)
        sent = 0
        for socket in list(self._sockets.get(conversation_id, ())):
            try:
                await socket.send(data)
                sent += 1
            except Exception:  # a closed socket; the browser reconnects
                self.remove(conversation_id, socket)
        return sent

    def _publisher(self) -> Any:
        if self._redis is None:
            self._redis = connect_redis(self._redis_url)
        return self._redis

    async def _listen(self) -> None:
        """Deliver what any worker published to the sockets of this worker; reconnects."""
        while True:
            try:
                client = connect_redis(self._redis_url)
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self.CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "subscribe":  # Redis confirmed it
                            self._subscribed.set()
                        if message.get("type") != "message":
                            continue
                        body = json.loads(message["data"])
                        await self._deliver(body["id"], body["frame"])
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Redis restarted: subscribe again
                self._subscribed.clear()
                logger.warning("widget.pubsub_lost", extra={"error": type(error).__name__})
                await asyncio.sleep(0.5)


class WidgetOutput(OutputChannel):
    """Pushes bot and counsellor messages to the widget's sockets."""

    def __init__(self, registry: SocketRegistry) -> None:
        self.registry = registry

    @classmethod
    def name(cls) -> str:
        return "widget"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        custom = message.get("custom") or {}
        sender = COUNSELLOR if custom.get("from") == COUNSELLOR else "bot"
        if message.get("text"):
            frame = {"type": "message", "from": sender, "text": message["text"]}
            if message.get("buttons"):
                frame["buttons"] = [
                    {"title": b.get("title", ""), "payload": b.get("payload", "")}
                    for b in message["buttons"]
                ]
            await self.registry.send(recipient_id, frame)
        if custom.get("signal"):
            await self.registry.send(recipient_id, custom["signal"])

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


class WidgetInput(InputChannel):
    """Input channel of the embeddable web chat widget."""

    def __init__(
        self,
        token: str | None = None,
        limits: MessageLimits | None = None,
        origins: tuple[str, ...] = (),
        redis_url: str | None = None,
    ) -> None:
        self.token = token
        self.registry = SocketRegistry(redis_url)
        self.limits = limits or MessageLimits(0, 0)
        self.origins = origins

    @classmethod
    def name(cls) -> str:
        return "widget"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        token = (credentials or {}).get("signal_token")
        if not token:
            raise RasaException(
                "The widget channel needs 'signal_token' in its section of the credentials file."
            )
        settings = load_settings()
        return cls(
            token=str(token),
            limits=MessageLimits(settings.messages_per_conversation, settings.messages_per_address),
            origins=settings.widget_origins,
            redis_url=settings.redis_url if settings.scaled else None,
        )

    def get_output_channel(self) -> OutputChannel | None:
        return WidgetOutput(self.registry)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        widget = Blueprint("widget_webhook", __name__)
        on_new_message = always_answer(on_new_message, with_counsellor)

        @widget.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @widget.route("/signal", methods=["POST"])
        async def signal(request: Request) -> response.HTTPResponse:
            """Typing and queue status from the console: shown, never stored."""
            if not has_bearer_token(request, self.token):
                return response.json({"error": "forbidden"}, status=403)
            body = request.json or {}
            conversation_id = str(body.get("conversation_id", ""))
            frame = body.get("signal")
            if not CONVERSATION_ID.match(conversation_id) or not isinstance(frame, dict):
                return response.json({"error": "bad request"}, status=400)
            reached = await self.registry.send(conversation_id, frame)
            return response.json({"reached": reached})

        @widget.websocket("/ws")
        async def chat(request: Request, socket: Any) -> None:
            conversation_id = request.args.get("conversation", "")
            if not CONVERSATION_ID.match(conversation_id):
                await socket.close(code=4400, reason="conversation id")
                return
            if self.origins and request.headers.get("origin") not in self.origins:
                await socket.close(code=4403, reason="origin")
                return
            address = request.ip  # kept in memory for the rate limit only
            await self.registry.add(conversation_id, socket)
            await socket.send(json.dumps({"type": "ready"}))  # from now on frames arrive
            try:
                while True:
                    raw = await socket.recv()
                    if raw is None:
                        break
                    await self._handle_frame(raw, conversation_id, address, on_new_message)
            finally:
                self.registry.remove(conversation_id, socket)

        return widget

    async def _handle_frame(
        self,
        raw: str | bytes,
        conversation_id: str,
        address: str | None,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        try:
            frame = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            frame = None
        if isinstance(frame, dict) and frame.get("type") == "erase":
            settings = load_settings()
            await asyncio.to_thread(
                erase_conversation, settings.tracker_url, settings.handoff_url, conversation_id
            )
            await self.registry.send(conversation_id, {"type": "erased"})
            return
        if not isinstance(frame, dict) or frame.get("type") != "message":
            await self.registry.send(conversation_id, {"type": "error", "reason": "frame"})
            return
        if not self.limits.allow(conversation_id, address):
            await self.registry.send(
                conversation_id,
                {"type": "error", "reason": "rate", "text": response_text("utter_slow_down")},
            )
            return
        text = incoming_text(str(frame.get("text") or ""))
        if text == EMPTY:
            await self.registry.send(conversation_id, {"type": "error", "reason": "empty"})
            return
        await self.registry.send(conversation_id, {"type": "typing", "from": "bot"})
        await asyncio.to_thread(record_conversation, conversation_id, self.name())
        await on_new_message(
            UserMessage(
                text,
                WidgetOutput(self.registry),
                conversation_id,
                input_channel=self.name(),
            )
        )
        await self.registry.send(conversation_id, {"type": "idle"})
