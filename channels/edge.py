"""The size limits at the edge of Rasa's Sanic app: request bodies and socket messages.

Sanic accepts 100 MB bodies and 1 MiB WebSocket messages unless told otherwise. Rasa builds
and serves its app itself; the moment the project's code holds that app before it serves is
when Rasa registers a channel's blueprint (``app.blueprint(...)`` in ``configure_app``).
``EdgeBlueprint`` sets the limits then, so they hold for every route of the app (Rasa's
HTTP API included) and however Rasa serves it: Sanic reads ``WEBSOCKET_MAX_SIZE`` when the
server starts and ``REQUEST_MAX_SIZE`` for every connection.

Over the body limit Sanic answers 413 before a handler runs; over the message limit the
socket is closed with code 1009 (message too big). What was sent is never logged.
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Sanic


class EdgeBlueprint(Blueprint):
    """A channel's blueprint that caps the app's request bodies at ``body_bytes`` and its
    WebSocket messages at ``frame_bytes`` when it is registered (the lowest cap wins)."""

    __slots__ = ("body_bytes", "frame_bytes")  # Sanic refuses attributes it does not know

    def __init__(self, name: str, *, body_bytes: int, frame_bytes: int) -> None:
        super().__init__(name)
        self.body_bytes = body_bytes
        self.frame_bytes = frame_bytes

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        config = app.config
        config.REQUEST_MAX_SIZE = min(config.REQUEST_MAX_SIZE, self.body_bytes)
        config.WEBSOCKET_MAX_SIZE = min(config.WEBSOCKET_MAX_SIZE, self.frame_bytes)
        super().register(app, options)
