"""Live updates for counsellors (WebSocket /api/stream) and queue places for people.

One background task looks every ``poll_seconds`` at the handoff store and at the Rasa
trackers of the open conversations. It pushes what changed: the queue and live view to
every console, new messages of a conversation, the soft time-limit reminder, and each
waiting person's new place in the queue to their widget.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from typing import Any

from aiohttp import web

logger = logging.getLogger(__name__)


class Hub:
    """The open console sockets in this process."""

    def __init__(self) -> None:
        self.sockets: set[web.WebSocketResponse] = set()

    async def broadcast(self, frame: dict[str, Any]) -> None:
        data = json.dumps(frame, ensure_ascii=False, default=str)
        for socket in list(self.sockets):
            try:
                await socket.send_str(data)
            except (ConnectionError, RuntimeError):
                self.sockets.discard(socket)

    async def close_all(self) -> None:
        for socket in list(self.sockets):
            await socket.close(code=1001, message=b"server shutdown")
        self.sockets.clear()


class Watcher:
    """Remembers what was last pushed, so that only changes go out."""

    def __init__(self) -> None:
        self.overview: str | None = None
        self.places: dict[str, tuple[int, int]] = {}
        self.message_counts: dict[str, int] = {}
        self.reminded: set[str] = set()


async def watch(
    app: web.Application,
    hub: Hub,
    rasa: Any,
    poll_seconds: float,
    soft_limit_minutes: int,
    overview: Any,
    messages_of: Any,
) -> None:
    """The background task: runs until the app stops."""
    watcher = Watcher()
    while True:
        try:
            await _tick(app, watcher, hub, rasa, soft_limit_minutes, overview, messages_of)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # keep watching; report without user data
            logger.warning("console.watch_failed", extra={"error": type(error).__name__})
        await asyncio.sleep(poll_seconds)


async def _tick(
    app, watcher: Watcher, hub: Hub, rasa, soft_limit_minutes: int, overview, messages_of
) -> None:
    snapshot = await overview(app)
    encoded = json.dumps(snapshot, default=str, sort_keys=True)
    if encoded != watcher.overview:
        watcher.overview = encoded
        await hub.broadcast({"type": "overview", **snapshot})

    for item in snapshot["queue"]:
        place = (item["position"], item["minutes"])
        if watcher.places.get(item["id"]) != place:
            watcher.places[item["id"]] = place
            await rasa.signal(
                item["channel"],
                item["id"],
                {"type": "status", "status": "queued", "position": place[0], "minutes": place[1]},
            )
    waiting_ids = {item["id"] for item in snapshot["queue"]}
    for gone in set(watcher.places) - waiting_ids:
        del watcher.places[gone]

    for item in snapshot["queue"] + snapshot["with_counsellor"]:
        with contextlib.suppress(Exception):
            messages = await messages_of(app, item["id"])
            seen = watcher.message_counts.get(item["id"])
            if seen is not None and len(messages) > seen:
                await hub.broadcast(
                    {
                        "type": "messages",
                        "id": item["id"],
                        "start": seen,
                        "messages": messages[seen:],
                    }
                )
            watcher.message_counts[item["id"]] = len(messages)

    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    limit = dt.timedelta(minutes=soft_limit_minutes)
    for item in snapshot["with_counsellor"]:
        claimed = item.get("claimed_at")
        overdue = claimed and now - dt.datetime.fromisoformat(claimed) >= limit
        if overdue and item["id"] not in watcher.reminded:
            watcher.reminded.add(item["id"])
            await hub.broadcast(
                {"type": "reminder", "id": item["id"], "minutes": soft_limit_minutes}
            )
