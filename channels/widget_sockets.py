"""The widget's open sockets per conversation, and delivery of frames to them.

With Redis (the scaled set-up) a frame is published once and every worker delivers it to
the sockets it holds.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from typing import Any

from channels.redis_client import connect_redis

logger = logging.getLogger(__name__)

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
