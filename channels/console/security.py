"""Console security: login rate limit, session cookie, CSRF, Origin, CSP and other headers."""

from __future__ import annotations

import ipaddress
import time
from collections import deque
from collections.abc import Iterable

from aiohttp import web
from aiohttp.typedefs import Handler
from cachetools import TTLCache

COOKIE = "console_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TRACKED_KEYS = 10_000  # usernames and addresses the login limiter remembers at most

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class LoginLimiter:
    """Login attempts in a sliding window: ``attempts`` per username, four times that per
    address (an address may hold several counsellors).

    An attempt is counted when it starts, before the password is verified, so that
    concurrent guesses cannot all pass the check while the hashes are computed; a
    successful login forgets the username's failures and gives its attempt back to the
    address. Memory is bounded: at most ``max_keys`` keys, each forgotten a window after its
    last attempt (cachetools' TTLCache; the least recently used goes first when full).
    Keys start with ``user:`` or ``addr:``.
    """

    def __init__(self, attempts: int, window_seconds: int, max_keys: int = TRACKED_KEYS) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._attempts: TTLCache[str, deque[float]] = TTLCache(
            maxsize=max_keys, ttl=window_seconds, timer=time.monotonic
        )

    def __len__(self) -> int:
        return len(self._attempts)

    def _limit(self, key: str) -> int:
        return self.attempts * 4 if key.startswith("addr:") else self.attempts

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._attempts.get(key) or deque(maxlen=self._limit(key))
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def attempt(self, *keys: str) -> bool:
        """Count an attempt on every key; False (nothing counted) when one is at its limit."""
        now = time.monotonic()
        recent = {key: self._recent(key, now) for key in keys}
        if any(len(times) >= self._limit(key) for key, times in recent.items()):
            return False
        for key, times in recent.items():
            times.append(now)
            self._attempts[key] = times  # (re)inserted: its time to live starts again
        return True

    def succeeded(self, user_key: str, address_key: str) -> None:
        """The password was right: the username starts afresh, the address gets its
        attempt back (a successful login never clears another username's failures)."""
        self._attempts.pop(user_key, None)
        times = self._attempts.get(address_key)
        if times:
            times.pop()


def trusted_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """The networks of ``TRUSTED_PROXIES`` entries (addresses or CIDR ranges)."""
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(request: web.Request, trusted: tuple[Network, ...]) -> str:
    """The client's address: the connection's peer, unless that is a trusted proxy; then the
    last address in ``X-Forwarded-For`` that is not itself a trusted proxy (the one the
    nearest trusted proxy saw). Without trusted proxies the header is never read, since
    anyone can send it."""
    peer = request.remote or ""
    peer_address = _address(peer)

    def is_trusted(address) -> bool:
        return address is not None and any(address in network for network in trusted)

    if not trusted or not is_trusted(peer_address):
        return peer
    hops = [hop for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return peer  # a malformed chain: keep to what we know
        if not is_trusted(address):
            return str(address)
    return peer


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


def set_session_cookie(
    response: web.StreamResponse, request: web.Request, token: str, always_secure: bool
) -> None:
    """The session cookie: HttpOnly, SameSite=Strict; Secure over HTTPS, and always with
    ``always_secure`` (``SECURE_COOKIES``: behind a TLS proxy the request itself is HTTP)."""
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="Strict", secure=always_secure or request.secure,
        path="/",
    )  # fmt: skip


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


@web.middleware
async def lengths_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    """411 for a request body sent in chunks (``Transfer-Encoding``), before it is read.

    aiohttp 3.9.5 reads a body of many small chunks in time that grows with the square of
    their number, blocking the server (CVE-2025-69229; docs/security.md). Browsers send the
    console's requests with a ``Content-Length``.
    """
    if "Transfer-Encoding" in request.headers:
        raise web.HTTPLengthRequired()
    return await handler(request)


def _protect(response: web.StreamResponse) -> None:
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
