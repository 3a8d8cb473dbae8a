"""A probe for tests that check slow work leaves the event loop free."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any


async def ticks_during(work: Awaitable[Any]) -> tuple[int, Any]:
    """How often a 10 ms timer fired on the event loop while ``work`` ran, and its result."""
    ticks, done = 0, asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            await asyncio.sleep(0.01)
            ticks += 1

    timer = asyncio.create_task(ticker())
    try:
        result = await work
    finally:
        done.set()
        await timer
    return ticks, result
