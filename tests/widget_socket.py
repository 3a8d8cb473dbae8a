"""A client of the widget's socket that speaks as widget.js does: connect without an id in
the URL, say ``hello`` (with the id given before, if any), take the id the server issues."""

from __future__ import annotations

import json
from typing import Any

import aiohttp


async def handshake(
    socket: aiohttp.ClientWebSocketResponse, conversation: str | None = None
) -> list[dict[str, Any]]:
    """Say hello on ``socket``; every frame received up to and including ``ready``."""
    hello: dict[str, Any] = {"type": "hello"}
    if conversation is not None:
        hello["conversation"] = conversation
    await socket.send_str(json.dumps(hello))
    frames = []
    while not frames or frames[-1]["type"] != "ready":
        frames.append(json.loads((await socket.receive(timeout=30)).data))
    return frames


def issued_id(frames: list[dict[str, Any]]) -> str:
    """The conversation id of a handshake's ``conversation`` frame."""
    return next(frame["id"] for frame in frames if frame["type"] == "conversation")


async def open_conversation(
    http: aiohttp.ClientSession, socket_url: str, conversation: str | None = None
) -> tuple[aiohttp.ClientWebSocketResponse, str]:
    """A socket on ``socket_url`` (``.../webhooks/widget/ws``) that has said hello, and the
    id of its conversation."""
    socket = await http.ws_connect(socket_url)
    return socket, issued_id(await handshake(socket, conversation))
