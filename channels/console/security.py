"""Console security: login rate limit, session cookie, CSRF, Origin, CSP and other headers."""

from __future__ import annotations

import time
from collections import defaultdict, deque

from aiohttp import web
from aiohttp.typedefs import Handler

COOKIE = "console_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginLimiter:
    """Failed logins in a sliding window: ``attempts`` per username, four times that per address.

    Keys start with ``user:`` or ``addr:``; an address may hold several counsellors.
    """

    def __init__(self, attempts: int, window_seconds: int) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def _limit(self, key: str) -> int:
        return self.attempts * 4 if key.startswith("addr:") else self.attempts

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        return any(len(self._recent(key, now)) >= self._limit(key) for key in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)


def content_security_policy(extra_connect: str = "") -> str:
    """No inline script or style, nothing from elsewhere; sockets only where needed."""
    connect = " ".join(part for part in ("'self'", extra_connect) if part)
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src {connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


def same_origin(request: web.Request) -> bool:
    """The WebSocket handshake comes from a page of this server."""
    origin = request.headers.get("Origin")
    if not origin:
        return False
    return origin in {f"http://{request.host}", f"https://{request.host}"}


def set_session_cookie(response: web.StreamResponse, request: web.Request, token: str) -> None:
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="Strict", secure=request.secure, path="/"
    )


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """CSP (unless the page set its own), no sniffing, no referrer, no caching: on every answer."""
    try:
        response = await handler(request)
    except web.HTTPException as error:  # a redirect or an error aiohttp sends as it is
        _protect(error)
        raise
    _protect(response)
    return response


def _protect(response: web.StreamResponse) -> None:
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
