"""The consumer on the real brokers: Rasa's SQL event broker writing a SQLite table
(embedded set-up) and Rasa's Pika event broker publishing to this machine's RabbitMQ
(scaled set-up), which is stopped and started again while events flow."""

from __future__ import annotations

import asyncio
import os
import time

import aio_pika
from sqlalchemy import func, select, text

import database
from analytics.consumer import Consumer
from analytics.models import HourlyCell, SeenEvent
from analytics.sources import consume_rabbitmq, consume_table
from tests.analytics.conftest import START, asking_for_help, statistics_database
from tests.rabbitmq import require_rabbitmq, require_rabbitmq_control, start_rabbitmq, stop_rabbitmq


def _seen(url: str) -> int:
    with database.opened(url) as engine, engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(SeenEvent.__table__)).scalar_one()


async def _until_seen(url: str, expected: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while (seen := await asyncio.to_thread(_seen, url)) < expected:
        assert time.monotonic() < deadline, f"{seen} of {expected} events counted"
        await asyncio.sleep(0.2)
    await asyncio.sleep(0.5)  # nothing more comes
    assert await asyncio.to_thread(_seen, url) == expected


def _closed_cells(consumer: Consumer) -> list[HourlyCell]:
    consumer.close_ended(START.replace(year=START.year + 1))
    with database.sessions(consumer.url)() as session:
        return list(session.scalars(select(HourlyCell)))


async def test_the_embedded_broker_table_is_counted_once_and_emptied(
    tmp_path, tmp_path_factory, hasher
):
    from analytics.local_broker import SQLiteEventBroker

    statistics = statistics_database("sqlite", tmp_path_factory)
    events_db = tmp_path / "rasa_events.db"
    broker = SQLiteEventBroker(db=str(events_db))
    conversations = [asking_for_help(f"widget-{i}") for i in range(6)]
    events = [event for c in conversations for event in c.events]
    for event in events[:40]:
        broker.publish(event)
    consumer = Consumer(statistics, hasher)
    stop = asyncio.Event()
    task = asyncio.create_task(consume_table(f"sqlite:///{events_db}", consumer.handle, stop))
    try:
        await _until_seen(statistics, 40)
        for event in events[30:]:  # ten of them a second time
            broker.publish(event)
        await _until_seen(statistics, len(events))
    finally:
        stop.set()
        await task
        await broker.close()
    with broker.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == 0
    [cell] = _closed_cells(consumer)
    assert (cell.conversations, cell.messages, cell.fallbacks, cell.rating_4) == (6, 36, 6, 6)
    database.dispose_engines()


async def _delete_queue(url: str, name: str) -> None:
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)


async def test_rabbitmq_events_are_counted_once_across_a_rabbitmq_restart(tmp_path_factory, hasher):
    import rasa.shared.core.events  # noqa: F401 (the broker uses it; Rasa's server imports it)
    from rasa.core.brokers.pika import PikaEventBroker
    from rasa.utils.endpoints import EndpointConfig

    url = require_rabbitmq()
    require_rabbitmq_control()
    statistics = statistics_database("postgresql", tmp_path_factory)
    queue = f"test_statistics_{os.getpid()}"
    broker = await PikaEventBroker.from_endpoint_config(
        EndpointConfig(
            url="127.0.0.1",
            username="guest",
            password="guest",
            port=5672,
            queues=[queue],
            retry_delay_in_seconds=1,
        )
    )
    conversations = [asking_for_help(f"widget-{i}", START) for i in range(30)]
    batches = [[e for c in conversations[i : i + 10] for e in c.events] for i in (0, 10, 20)]
    consumer = Consumer(statistics, hasher)
    stop = asyncio.Event()
    task = asyncio.create_task(consume_rabbitmq(url, consumer.handle, stop, queue=queue))
    try:
        for event in batches[0]:
            broker.publish(event)
        await _until_seen(statistics, len(batches[0]))
        for event in batches[1][:50]:  # some in flight as RabbitMQ stops
            broker.publish(event)
        await asyncio.to_thread(stop_rabbitmq)
        try:
            for event in batches[1][50:]:  # published while it is down: Rasa keeps them
                broker.publish(event)
            await asyncio.sleep(2)
        finally:
            await asyncio.to_thread(start_rabbitmq)
        for event in batches[2]:
            broker.publish(event)
        await _until_seen(statistics, sum(len(b) for b in batches))
    finally:
        stop.set()
        await task
        await broker.close()
        await _delete_queue(url, queue)
    cells = _closed_cells(consumer)
    assert sum(c.conversations for c in cells) == 30
    assert sum(c.messages for c in cells) == 30 * 6
    database.dispose_engines()
