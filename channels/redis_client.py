"""One way to open an asyncio Redis client, for the scaled set-up's shared state."""

from __future__ import annotations

from typing import Any


def connect_redis(url: str, **options: Any) -> Any:
    """A client that retries a command a few times (up to about 2 s) when the connection
    drops, so that a Redis restart costs no message once Redis is back."""
    import redis.asyncio as redis
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError, TimeoutError

    return redis.from_url(
        url,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=5),
        retry_on_error=[ConnectionError, TimeoutError],
        **options,
    )
