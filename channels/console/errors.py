"""The one place where the HTTP errors that handlers raise become JSON error bodies."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from channels.console.texts import TEXTS

_MESSAGES = TEXTS.messages()


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Send an HTTP error raised with a catalogue message as ``{"error": message}``.

    Handlers raise ``web.HTTPConflict(text=ERRORS.claim_first)`` and the like. Errors that
    aiohttp raises itself (no such route, method not allowed, body too large) carry no
    catalogue message and keep aiohttp's plain-text answer.
    """
    try:
        return await handler(request)
    except web.HTTPError as error:
        if error.text not in _MESSAGES:
            raise
        return web.json_response({"error": error.text}, status=error.status)
