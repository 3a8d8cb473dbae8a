"""A small client for the Telegram Bot API (aiohttp), with retries that give up in time.

``TELEGRAM_API_URL`` points it at Telegram or, in tests, at a local fake Bot API server.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
BACKOFF_SECONDS = (0.3, 0.8, 2.0)
MAX_RETRY_AFTER = 5.0


class TelegramUnavailable(RuntimeError):
    """The Bot API refused or did not answer, also after retrying."""


class BotApi:
    """Calls ``{api_url}/bot{token}/{method}``; 429 and 5xx are retried with backoff."""

    def __init__(self, api_url: str, token: str) -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token}"
        self._http: aiohttp.ClientSession | None = None

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        return self._http

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        """The ``result`` of a Bot API method; TelegramUnavailable after the last attempt."""
        for attempt in range(MAX_ATTEMPTS):
            wait = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)]
            try:
                async with self._session().post(f"{self._base}/{method}", json=payload) as reply:
                    body = await reply.json(content_type=None)
                    if reply.status == 200 and body.get("ok"):
                        return body.get("result")
                    if reply.status == 429:
                        retry_after = (body.get("parameters") or {}).get("retry_after", wait)
                        wait = min(float(retry_after), MAX_RETRY_AFTER)
                    elif reply.status < 500:
                        # A request Telegram will never accept: retrying does not help.
                        raise TelegramUnavailable(f"{method} refused with {reply.status}")
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                logger.warning(
                    "telegram.call_failed", extra={"method": method, "error": type(error).__name__}
                )
            if attempt < MAX_ATTEMPTS - 1:
                await asyncio.sleep(wait)
        raise TelegramUnavailable(f"{method} failed {MAX_ATTEMPTS} times")

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
