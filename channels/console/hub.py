"""The open console sockets of this process: who is behind each, and what each may receive.

Every frame goes out only after the sessions behind the sockets were checked again (one
query for all of them): a socket whose session ended (logout, idle expiry, a disabled
account or a new password, in this process or another) is closed instead, with
``SESSION_ENDED``. Frames with transcript text go only to sockets whose counsellor may read
that conversation (``audience``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from handoff.accounts import LiveSession

SESSION_ENDED = 4401  # close code: log in again (the console shows the login form)
SessionCheck = Callable[[list[str]], Awaitable[dict[str, LiveSession]]]


@dataclass
class Viewer:
    """One console socket and the live session behind it."""

    socket: web.WebSocketResponse
    session: LiveSession
    closing: bool = False
    closed: asyncio.Event = field(default_factory=asyncio.Event)

    async def until_closed(self) -> None:
        """Wait until the hub finished closing this socket (its handler must not return
        first: the connection would drop before the close frame went out)."""
        if self.closing:
            await asyncio.wait_for(self.closed.wait(), timeout=5)


@dataclass
class Hub:
    """The open console sockets in this process, and the conversation each session has open."""

    check: SessionCheck  # which of these token hashes are live sessions now
    viewers: dict[web.WebSocketResponse, Viewer] = field(default_factory=dict)
    opened: dict[str, str] = field(default_factory=dict)  # token hash -> conversation id

    def add(self, socket: web.WebSocketResponse, session: LiveSession) -> Viewer:
        viewer = Viewer(socket, session)
        self.viewers[socket] = viewer
        return viewer

    def discard(self, socket: web.WebSocketResponse) -> None:
        self.viewers.pop(socket, None)

    def opens(self, token_hash: str, conversation_id: str) -> None:
        """The session opened this conversation (its transcript read was audited)."""
        self.opened[token_hash] = conversation_id

    async def _close(self, viewers: list[Viewer], code: int, message: bytes) -> None:
        for viewer in viewers:
            self.viewers.pop(viewer.socket, None)
            self.opened.pop(viewer.session.token_hash, None)
            viewer.closing = True
            try:
                await viewer.socket.close(code=code, message=message)
            finally:
                viewer.closed.set()

    async def refresh(self) -> list[Viewer]:
        """Check every socket's session again; close those that ended. The live viewers."""
        if not self.viewers:
            return []
        # Only the viewers asked about: a socket that opened during the query is not judged.
        checked = list(self.viewers.values())
        live = await self.check(sorted({v.session.token_hash for v in checked}))
        ended = []
        for viewer in checked:
            if viewer.socket not in self.viewers:
                continue  # closed meanwhile
            session = live.get(viewer.session.token_hash)
            if session is None:
                ended.append(viewer)
            else:
                viewer.session = session  # a changed role counts from now on
        await self._close(ended, SESSION_ENDED, b"session ended")
        return list(self.viewers.values())

    async def send(
        self, frame: dict[str, Any], audience: Callable[[Viewer], bool] = lambda _: True
    ) -> None:
        """Send ``frame`` to the live viewers in ``audience``, after checking every session."""
        data = json.dumps(frame, ensure_ascii=False, default=str)
        for viewer in await self.refresh():
            if not audience(viewer):
                continue
            try:
                await viewer.socket.send_str(data)
            except (ConnectionError, RuntimeError):
                self.discard(viewer.socket)

    async def end_session(self, token_hash: str) -> None:
        """Close at once the sockets of a session that ended here (logout)."""
        ended = [v for v in self.viewers.values() if v.session.token_hash == token_hash]
        await self._close(ended, SESSION_ENDED, b"session ended")
        self.opened.pop(token_hash, None)

    async def end_account(self, counsellor_id: int) -> None:
        """Close at once every socket of an account (disabled, or given a new password)."""
        ended = [v for v in self.viewers.values() if v.session.counsellor_id == counsellor_id]
        await self._close(ended, SESSION_ENDED, b"session ended")

    async def close_all(self) -> None:
        await self._close(list(self.viewers.values()), 1001, b"server shutdown")
