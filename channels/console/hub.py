"""The open console sockets of this process, to push frames to every logged-in counsellor."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


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
