"""Where the consumer reads Rasa's events: a RabbitMQ queue (Rasa's Pika event broker, the
scaled set-up) or the table of Rasa's SQL event broker (the embedded set-up, no server).

Both hand the consumer batches of event dicts and let go of them (ack, delete) only after
``handle`` returned: an event is at least once in a batch, and the consumer counts it once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

import database

logger = logging.getLogger(__name__)

Event = dict[str, Any]
Handle = Callable[[list[Event]], Awaitable[None]]

RASA_EXCHANGE = "rasa-exchange"  # the fanout exchange Rasa's Pika broker publishes to
QUEUE = "wegwijzer_statistics"  # Settings.statistics_queue of the default scaled set-up
BATCH = 500
LINGER_S = 0.2  # wait this long for a batch to fill
RETRY_S = (0.5, 1, 2, 5)  # backoff while the database or RabbitMQ is away


def _decode(body: bytes) -> Event | None:
    try:
        event = json.loads(body)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def handle_until_done(handle: Handle, events: list[Event], stop: asyncio.Event) -> bool:
    """``handle(events)``, retried with backoff while it fails (the statistics database is
    down); False when stopped first."""
    attempt = 0
    while not stop.is_set():
        try:
            await handle(events)
            return True
        except Exception as error:  # the database is away: keep the events, try again
            logger.warning("statistics.batch_failed", extra={"error": type(error).__name__})
            await _pause(stop, RETRY_S[min(attempt, len(RETRY_S) - 1)])
            attempt += 1
    return False


async def _connect(url: str, stop: asyncio.Event) -> aio_pika.abc.AbstractRobustConnection | None:
    attempt = 0
    while not stop.is_set():
        try:
            return await aio_pika.connect_robust(url)
        except Exception as error:  # not up yet: RabbitMQ starts, or restarts
            logger.warning("statistics.rabbitmq_unreachable", extra={"error": type(error).__name__})
            await _pause(stop, RETRY_S[min(attempt, len(RETRY_S) - 1)])
            attempt += 1
    return None


async def _take(
    inbox: asyncio.Queue, stop: asyncio.Event
) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """Up to BATCH messages: waits for the first, then LINGER_S for more."""
    batch = []
    try:
        batch.append(await asyncio.wait_for(inbox.get(), 0.5))
    except asyncio.TimeoutError:
        return batch
    deadline = asyncio.get_running_loop().time() + LINGER_S
    while len(batch) < BATCH and not stop.is_set():
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            break
        try:
            batch.append(await asyncio.wait_for(inbox.get(), remaining))
        except asyncio.TimeoutError:
            break
    return batch


async def consume_rabbitmq(
    url: str, handle: Handle, stop: asyncio.Event, queue: str = QUEUE
) -> None:
    """Count the events of ``queue`` until ``stop`` is set. The connection is robust: after a
    RabbitMQ restart it reconnects and consumes again; messages that were not acked come
    again and are skipped as duplicates."""
    connection = await _connect(url, stop)
    if connection is None:
        return
    try:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=2 * BATCH)
        # Declared as Rasa declares them, so that either may start first.
        exchange = await channel.declare_exchange(RASA_EXCHANGE, aio_pika.ExchangeType.FANOUT)
        declared = await channel.declare_queue(queue, durable=True)
        await declared.bind(exchange, "")
        inbox: asyncio.Queue = asyncio.Queue()
        await declared.consume(inbox.put)
        while not stop.is_set():
            batch = await _take(inbox, stop)
            if not batch:
                continue
            events = [event for event in (_decode(m.body) for m in batch) if event is not None]
            if not await handle_until_done(handle, events, stop):
                return  # not acked: RabbitMQ delivers them again
            for message in batch:
                # A message of a channel lost to a restart cannot be acked: it comes again.
                with contextlib.suppress(Exception):
                    await message.ack()
    finally:
        with contextlib.suppress(Exception):
            await connection.close()


def _take_rows(engine: Engine, limit: int) -> list[tuple[int, Event]]:
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, data FROM events ORDER BY id LIMIT :limit"), {"limit": limit}
            ).all()
    except OperationalError:  # no table yet: Rasa has not started, or the file is locked
        return []
    taken = []
    for row_id, data in rows:
        event = _decode(data.encode() if isinstance(data, str) else data)
        taken.append((row_id, event if event is not None else {}))
    return taken


def _forget_rows(engine: Engine, last_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM events WHERE id <= :last"), {"last": last_id})


async def consume_table(url: str, handle: Handle, stop: asyncio.Event, poll_s: float = 0.3) -> None:
    """Count the events of Rasa's SQL event broker table at ``url`` until ``stop`` is set,
    deleting each row (it holds the redacted text) once counted."""
    engine = database.create_engine(url)
    try:
        while not stop.is_set():
            rows = await asyncio.to_thread(_take_rows, engine, BATCH)
            if not rows:
                await _pause(stop, poll_s)
                continue
            events = [event for _, event in rows if event]
            if not await handle_until_done(handle, events, stop):
                return
            try:
                await asyncio.to_thread(_forget_rows, engine, rows[-1][0])
            except OperationalError as error:  # locked: read again and skip as duplicates
                logger.warning("statistics.rows_not_deleted", extra={"error": type(error).__name__})
    finally:
        engine.dispose()
