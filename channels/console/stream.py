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
from collections.abc import Callable
from functools import partial
from typing import Any

from aiohttp import WSMsgType, web

from channels.console.access import is_supervisor
from channels.console.auth import reader
from channels.console.conversations import messages_of
from channels.console.hub import SESSION_ENDED, Hub, Viewer
from channels.console.queue import overview
from channels.console.security import COOKIE, same_origin
from channels.console.state import CONFIG, HUB, RASA, in_transaction
from handoff import accounts
from handoff.models import WITH_COUNSELLOR

logger = logging.getLogger(__name__)


async def stream(request: web.Request) -> web.WebSocketResponse:
    """The console's socket: the overview at once, then what the watcher pushes.

    A text frame from the console (its ping) keeps the counsellor present, not active: the
    idle expiry counts only what the counsellor does. Every frame in or out re-checks the
    session; when it has ended the socket is closed with ``SESSION_ENDED``.
    """
    if not same_origin(request):
        raise web.HTTPForbidden(text="origin")
    socket = web.WebSocketResponse(heartbeat=30)
    await socket.prepare(request)
    hub = request.app[HUB]
    token = request.cookies.get(COOKIE)
    viewer = hub.add(socket, reader(request))
    try:
        await hub.send({"type": "overview", **await overview(request.app)}, _only(socket))
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            alive = await in_transaction(
                request.app, partial(accounts.active_session, action=False), token
            )
            if alive is None:
                await socket.close(code=SESSION_ENDED, message=b"session ended")
                break
        await viewer.until_closed()
    finally:
        hub.discard(socket)
    return socket


def _only(socket: web.WebSocketResponse) -> Callable[[Viewer], bool]:
    return lambda viewer: viewer.socket is socket


def _holder(item: dict[str, Any]) -> Callable[[Viewer], bool]:
    def holds(viewer: Viewer) -> bool:
        return item["status"] == WITH_COUNSELLOR and item["claimed_by"] == viewer.session.username

    return holds


def _readers(hub: Hub, item: dict[str, Any]) -> Callable[[Viewer], bool]:
    """Who gets a conversation's new messages: its holder, and a supervisor who opened it
    (the opening was audited). Everyone else sees only the overview's summaries."""
    holds = _holder(item)

    def reads(viewer: Viewer) -> bool:
        opened = hub.opened.get(viewer.session.token_hash) == item["id"]
        return holds(viewer) or (opened and is_supervisor(viewer.session))

    return reads


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
    await hub.refresh()  # sockets of sessions that expired or were ended elsewhere close
    snapshot = await overview(app)
    encoded = json.dumps(snapshot, default=str, sort_keys=True)
    if encoded != watcher.overview:
        watcher.overview = encoded
        await hub.send({"type": "overview", **snapshot})

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
                await hub.send(
                    {
                        "type": "messages",
                        "id": item["id"],
                        "start": seen,
                        "messages": messages[seen:],
                    },
                    _readers(hub, item),
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
            await hub.send(
                {"type": "reminder", "id": item["id"], "minutes": soft_limit_minutes},
                _holder(item),
            )
