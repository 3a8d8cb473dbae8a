"""What every channel does to incoming text before Rasa sees it, and its rate limits."""

from __future__ import annotations

import hmac
import re
import time
from collections import Counter, defaultdict, deque

from sanic.request import Request

from bot.nlu.red_flags import find_red_flag
from privacy.redaction import normalise, redact

MAX_MESSAGE_CHARS = 2000
TOO_LONG = "/message_too_long"
EMPTY = "/empty_message"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Normalised Unicode (NFKC, no invisible format characters) without control characters;
    too long becomes a refusal."""
    text = _CONTROL.sub("", normalise(text)).strip()
    if not text:
        return EMPTY
    if len(text) > MAX_MESSAGE_CHARS:
        return TOO_LONG
    return text


def incoming_text(text: str) -> str:
    """What Rasa may see of a typed message: cleaned and redacted, or a refusal payload."""
    cleaned = clean_text(text)
    if cleaned in (EMPTY, TOO_LONG):
        return cleaned
    return redact(cleaned, signal=lambda text: find_red_flag(text) is not None)


def has_bearer_token(request: Request, token: str | None) -> bool:
    """The request carries ``Authorization: Bearer <token>`` (compared in constant time)."""
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


class RateLimiter:
    """At most ``limit`` messages per key in a sliding minute; ``limit`` 0 switches it off.

    Keys live in memory only (an address is never stored or logged).
    """

    def __init__(self, limit: int, window_seconds: float = 60.0) -> None:
        self.limit = limit
        self.window = window_seconds
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        if self.limit <= 0:
            return True
        now = time.monotonic()
        seen = self._seen[key]
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        if len(self._seen) > 50_000:  # forget idle keys
            for stale in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
                del self._seen[stale]
        return True


class MessageLimits:
    """Per-conversation and per-address limits of one channel."""

    def __init__(self, per_conversation: int, per_address: int) -> None:
        self.conversations = RateLimiter(per_conversation)
        self.addresses = RateLimiter(per_address)

    def allow(self, conversation_id: str, address: str | None) -> bool:
        if not self.conversations.allow(conversation_id):
            return False
        return address is None or self.addresses.allow(address)


class SocketLimits:
    """Limits of one channel's sockets: how many one address holds open at once, and how
    many frames of any type (messages, erase requests, malformed or unknown frames) a
    socket and an address send in a sliding minute. 0 switches a limit off.

    Addresses live in memory only (never stored or logged); with several Rasa processes
    each process counts its own sockets.
    """

    def __init__(
        self, sockets_per_address: int, frames_per_socket: int, frames_per_address: int
    ) -> None:
        self.sockets_per_address = sockets_per_address
        self.frames_per_socket = frames_per_socket
        self.addresses = RateLimiter(frames_per_address)
        self._open: Counter[str] = Counter()

    def open_socket(self, address: str | None) -> RateLimiter | None:
        """The frame limit of a new socket from ``address``; None when that address already
        holds its maximum of open sockets. Every opened socket is closed with ``close_socket``."""
        if address is not None and self.sockets_per_address > 0:
            if self._open[address] >= self.sockets_per_address:
                return None
            self._open[address] += 1
        return RateLimiter(self.frames_per_socket)

    def close_socket(self, address: str | None) -> None:
        if address is None or address not in self._open:
            return
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]

    def allow_frame(self, socket_frames: RateLimiter, address: str | None) -> bool:
        """Whether one more frame of a socket (its limiter from ``open_socket``) is taken."""
        if not socket_frames.allow("socket"):
            return False
        return address is None or self.addresses.allow(address)
