"""How fast the statistics consumer counts: fill the broker with the events of many
conversations, then time the consumer draining it.

python -m tools.bench_statistics [--broker rabbitmq|sqlite] [--messages 5000]

A message makes about ten events in Rasa's tracker (a real three-message conversation of
tests/e2e/test_statistics.py made 34); the conversations here have ten per message. The
RabbitMQ run uses this machine's RabbitMQ (RABBITMQ_URL) and PostgreSQL (BENCH_POSTGRES):
a queue of its own, deleted afterwards, and the database wegwijzer_bench_statistics,
made empty at each run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

import database
from analytics.consumer import Consumer
from analytics.models import Base, SeenEvent
from analytics.sources import consume_rabbitmq, consume_table
from analytics.store import Hasher
from ops.scaled_setup import recreate_database
from privacy.channel_ids import ChannelIdKeys
from settings import load_settings

EVENTS_PER_MESSAGE = 10
MESSAGES_PER_CONVERSATION = 5


def conversation_events(sender: str, start: float) -> list[dict[str, Any]]:
    """The events of a conversation of MESSAGES_PER_CONVERSATION messages."""
    events: list[dict[str, Any]] = []
    at = start

    def add(**event: Any) -> None:
        nonlocal at
        at += 0.05
        events.append({"sender_id": sender, "timestamp": at, **event})

    for turn in range(MESSAGES_PER_CONVERSATION):
        at += 20
        intent = "nlu_fallback" if turn == 2 else "find_work"
        add(event="user", text="hoe vind ik werk", input_channel="widget",
            parse_data={"intent": {"name": intent, "confidence": 0.8}, "entities": []})  # fmt: skip
        add(event="user_featurization", use_text_for_featurization=False)
        add(event="action", name="action_answer_topic", policy="RulePolicy", confidence=1.0)
        add(event="slot", name="topic", value="find_work")
        add(event="slot", name="user_group", value="werkzoekende")
        add(event="slot", name="signposted", value=["vdab"])
        add(event="bot", text="...", metadata={"utter_action": "utter_find_work"})
        add(event="bot", text="...", metadata={"utter_action": "utter_service_card"})
        add(event="bot", text="...", metadata={"utter_action": "utter_signposting_intro"})
        add(event="action", name="action_listen", policy="RulePolicy", confidence=1.0)
    return events


def _all_events(messages: int) -> list[dict[str, Any]]:
    start = time.time() - 3600
    return [
        event
        for _ in range(max(1, messages // MESSAGES_PER_CONVERSATION))
        for event in conversation_events(uuid.uuid4().hex, start)
    ]


def _seen(url: str) -> int:
    with database.opened(url) as engine, engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(SeenEvent.__table__)).scalar_one()


async def _drain(url: str, total: int, consume) -> float:
    """Seconds the consumer took to count ``total`` events already waiting."""
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(consume(stop))
    try:
        while await asyncio.to_thread(_seen, url) < total:
            await asyncio.sleep(0.1)
        return time.perf_counter() - started
    finally:
        stop.set()
        await task


async def bench_sqlite(messages: int) -> tuple[int, float]:
    from analytics.local_broker import SQLiteEventBroker

    folder = Path(tempfile.mkdtemp(prefix="bench-statistics-"))
    url = f"sqlite:///{folder / 'statistics.db'}"
    with database.opened(url) as engine:
        Base.metadata.create_all(engine)
    broker = SQLiteEventBroker(db=str(folder / "events.db"))
    events = _all_events(messages)
    for event in events:
        broker.publish(event)
    await broker.close()
    consumer = Consumer(url, Hasher(ChannelIdKeys.from_setting(uuid.uuid4().hex)))
    events_url = f"sqlite:///{folder / 'events.db'}"
    seconds = await _drain(
        url, len(events), lambda stop: consume_table(events_url, consumer.handle, stop)
    )
    database.dispose_engines()
    return len(events), seconds


async def bench_rabbitmq(messages: int) -> tuple[int, float]:
    import aio_pika

    settings = load_settings()
    url = recreate_database(f"{settings.bench_postgres_url}/wegwijzer_bench_statistics")
    with database.opened(url) as engine:
        Base.metadata.create_all(engine)
    queue = f"bench_statistics_{os.getpid()}"
    events = _all_events(messages)
    connection = await aio_pika.connect_robust(settings.rabbitmq_url)
    try:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, durable=True)
        for event in events:  # as Rasa's Pika broker publishes them: persistent JSON
            await channel.default_exchange.publish(
                aio_pika.Message(
                    json.dumps(event).encode(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT
                ),
                routing_key=queue,
            )
        consumer = Consumer(url, Hasher(ChannelIdKeys.from_setting(uuid.uuid4().hex)))
        seconds = await _drain(
            url,
            len(events),
            lambda stop: consume_rabbitmq(
                settings.rabbitmq_url, consumer.handle, stop, queue=queue
            ),
        )
        await declared.delete(if_unused=False, if_empty=False)
    finally:
        await connection.close()
        database.dispose_engines()
    return len(events), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_statistics", description=__doc__)
    parser.add_argument("--broker", choices=("rabbitmq", "sqlite"), default="rabbitmq")
    parser.add_argument("--messages", type=int, default=5000)
    args = parser.parse_args(argv)
    bench = bench_rabbitmq if args.broker == "rabbitmq" else bench_sqlite
    events, seconds = asyncio.run(bench(args.messages))
    print(
        f"{args.broker}: {events} events ({events // EVENTS_PER_MESSAGE} messages) counted in "
        f"{seconds:.1f} s: {events / seconds:.0f} events/s, "
        f"{events / seconds / EVENTS_PER_MESSAGE:.0f} messages/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
