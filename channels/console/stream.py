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

from aiohttp import WSMsgType, web

from channels.console.conversations import messages_of
from channels.console.queue import overview
from channels.console.security import COOKIE, same_origin
from channels.console.state import CONFIG, HUB, RASA, in_transaction
from handoff import accounts

logger = logging.getLogger(__name__)


async def stream(request: web.Request) -> web.WebSocketResponse:
    """The console's socket: the overview at once, then what the watcher pushes."""
    if not same_origin(request):
        raise web.HTTPForbidden(text="origin")
    socket = web.WebSocketResponse(heartbeat=30)
    await socket.prepare(request)
    hub = request.app[HUB]
    hub.sockets.add(socket)
    try:
        await socket.send_json({"type": "overview", **await overview(request.app)}, dumps=_dumps)
        async for message in socket:
            if message.type == WSMsgType.TEXT:  # a ping keeps the session and presence alive
                token = request.cookies.get(COOKIE)
                alive = await in_transaction(request.app, accounts.active_session, token)
                if alive is None:
                    break
    finally:
        hub.sockets.discard(socket)
    return socket


def _dumps(value: Any) -> str:
    return json.dumps(value, default=str)


class Watcher:
    """Remembers what was last pushed, so that only changes go out."""

    def __init__(self) -> None:
        self.overview: str | None = None
        self.places: dict[str, tuple[int, int]] = {}
        self.message_counts: dict[str, int] = {}
        self.reminded: set[str] = set()


async def watch(app: web.Application) -> None:
    """The background task: runs until the app stops."""
    watcher = Watcher()
    while True:
        try:
            await _tick(app, watcher)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # keep watching; report without user data
            logger.warning("console.watch_failed", extra={"error": type(error).__name__})
        await asyncio.sleep(app[CONFIG].poll_seconds)


async def _tick(app: web.Application, watcher: Watcher) -> None:
    hub, rasa = app[HUB], app[RASA]
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

    soft_limit_minutes = app[CONFIG].soft_limit_minutes
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
