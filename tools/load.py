"""Load patterns for the benchmark, against any Rasa REST webhook.

Every conversation is fresh and anonymous (a random sender id) and plays the same
realistic Dutch script. Latencies are in milliseconds; in the open loop they are counted
from the moment a message was due, so that a slow server cannot hide its queue.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass

import aiohttp

# Ten messages: a greeting, the person's situation, knowledge lookups (shortage
# occupation, education route, pay, sector) and two button clicks (payloads).
SCRIPT = (
    "hallo",
    "ik zit in het 6de jaar aso",
    "ik weet niet wat ik moet studeren",
    "is verpleegkundige een knelpuntberoep",
    "/occupation_education",
    "hoeveel verdient een lasser",
    "is dakwerker een knelpuntberoep?",
    "is dit gesprek anoniem",
    "welke jobs in de bouw hebben toekomst",
    "/goodbye",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Run:
    """What one load pattern measured."""

    latencies: list[float]
    seconds: float
    errors: int

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def p(self, share: float) -> float:
        return percentile(self.latencies, share) if self.latencies else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")


async def send(http: aiohttp.ClientSession, url: str, sender: str, message: str) -> bool:
    """One message; True when the server answered it (200). The stock bot answers some
    messages with an empty list (no response for an intent it does not know): answered."""
    async with http.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
    ) as response:
        await response.read()
        return response.status == 200


def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0),
        timeout=aiohttp.ClientTimeout(total=120),
    )


async def _timed(http, url, sender, message, latencies, errors, due: float | None = None) -> None:
    started = time.perf_counter() if due is None else due
    try:
        ok = await send(http, url, sender, message)
    except (aiohttp.ClientError, asyncio.TimeoutError):
        ok = False
    if ok:
        latencies.append((time.perf_counter() - started) * 1000)
    else:
        errors.append(message)


async def closed_loop(url: str, concurrency: int, seconds: float) -> Run:
    """``concurrency`` people, each playing fresh conversations back to back."""
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds

    async def person(http: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline:
            sender = uuid.uuid4().hex
            for message in SCRIPT:
                if time.perf_counter() >= deadline:
                    return
                await _timed(http, url, sender, message, latencies, errors)

    async with _session() as http:
        started = time.perf_counter()
        await asyncio.gather(*(person(http) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Run(latencies, elapsed, len(errors))


async def open_loop(url: str, rate: float, seconds: float) -> Run:
    """Messages at a fixed rate, whatever the server does: ``rate`` conversations at once,
    each sending one message a second (a conversation's message waits for the one before
    it only through Rasa's lock, as two quick messages of a person would)."""
    latencies: list[float] = []
    errors: list[str] = []
    lanes = max(1, round(rate))
    total = int(rate * seconds)
    senders = [uuid.uuid4().hex for _ in range(lanes)]
    tasks = []
    async with _session() as http:
        started = time.perf_counter()
        for k in range(total):
            due = started + k / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            lane, turn = k % lanes, k // lanes
            if turn % len(SCRIPT) == 0 and turn:
                senders[lane] = uuid.uuid4().hex  # a fresh conversation every ten messages
            message = SCRIPT[turn % len(SCRIPT)]
            tasks.append(
                asyncio.create_task(
                    _timed(http, url, senders[lane], message, latencies, errors, due)
                )
            )
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return Run(latencies, elapsed, len(errors))


async def long_conversation(url: str, messages: int) -> Run:
    """One person, ``messages`` messages in one conversation; latencies in order."""
    latencies: list[float] = []
    errors: list[str] = []
    sender = uuid.uuid4().hex
    async with _session() as http:
        started = time.perf_counter()
        for i in range(messages):
            await _timed(http, url, sender, SCRIPT[i % len(SCRIPT)], latencies, errors)
        elapsed = time.perf_counter() - started
    return Run(latencies, elapsed, len(errors))


async def first_answer(url: str, timeout: float) -> bool:
    """Wait until the server answers a message (for cold start)."""
    deadline = time.perf_counter() + timeout
    async with _session() as http:
        while time.perf_counter() < deadline:
            try:
                if await send(http, url, uuid.uuid4().hex, "hallo"):  # answered after start
                    return True
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.1)
    return False
