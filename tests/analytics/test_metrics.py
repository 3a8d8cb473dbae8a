"""The operator's metrics: what the consumer counted, the waiting-time histogram and the
queue read from the handoff store (SQLite and PostgreSQL), served on 127.0.0.1 by the
consumer, with no label or value that names a person or a conversation."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import socket

import pytest
from prometheus_client import generate_latest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

import database
from analytics.consumer import Consumer, run
from analytics.local_broker import SQLiteEventBroker
from analytics.metrics import Metrics
from analytics.store import create_schema
from handoff.queue import enqueue, utc_now
from ops.processes import free_port
from ops.scaled_setup import ensure_database
from settings import load_settings
from tests.analytics.conftest import Conversation, asking_for_help
from tests.databases import fresh_handoff_store, postgres_url
from tests.scrape import samples, scrape

ALLOWED_LABELS = {"channel", "priority", "kind", "result", "le"}


def _handoff_store(kind: str, tmp_path) -> str:
    """A handoff store with a crisis conversation queued ten minutes ago and a normal one
    queued one minute ago."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'handoff.db'}"
    else:  # a database of its own: other tests use the handoff tables of "test"
        url = make_url(postgres_url()).set(database="test_metrics_handoff")
        url = url.render_as_string(hide_password=False)
        ensure_database(url)
    fresh_handoff_store(url)
    now = utc_now()
    queued = (("queued-1", "crisis", 10), ("queued-2", "normal", 1))
    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        for conversation_id, priority, minutes in queued:
            at = now - dt.timedelta(minutes=minutes)
            enqueue(session, conversation_id, "widget", priority, None, None, {}, at)
    return url


def _crisis_on_an_unknown_channel() -> Conversation:
    """Someone posts to the REST channel with an ``input_channel`` of their own making, is
    flagged as a crisis and told the handoff store cannot be reached."""
    c = Conversation("rest-secret-id", channel="jan.peeters@example.org")
    c.says("ik wil niet meer leven", "crisis").slot("crisis", True)
    c.slot("handoff_priority", "crisis")
    c.bot("Er is een storing ...", "utter_handoff_unavailable")
    return c


def test_the_metrics_count_what_the_consumer_counted(statistics_url, hasher, tmp_path):
    kind = "sqlite" if statistics_url.startswith("sqlite") else "postgresql"
    metrics = Metrics(_handoff_store(kind, tmp_path))
    consumer = Consumer(statistics_url, hasher, metrics)
    helped = asking_for_help("widget-secret-id", wait_s=240)
    crisis = _crisis_on_an_unknown_channel()
    consumer.record(helped.events + crisis.events)
    consumer.record(helped.events[-5:])  # delivered again: not counted again
    exposed = generate_latest(metrics.registry).decode()
    value = samples(exposed)

    assert value['wegwijzer_messages_total{channel="widget"}'] == 6
    assert value['wegwijzer_messages_total{channel="other"}'] == 1
    assert value["wegwijzer_fallbacks_total"] == 1
    assert value["wegwijzer_clarifications_total"] == 1
    assert value["wegwijzer_handoff_requests_total"] == 2
    assert value["wegwijzer_crisis_flags_total"] == 1
    assert value['wegwijzer_errors_total{kind="store_unavailable_reply"}'] == 1
    assert value["wegwijzer_handoff_wait_seconds_count"] == 1
    assert value['wegwijzer_handoff_wait_seconds_bucket{le="300.0"}'] == 1
    assert value['wegwijzer_handoff_wait_seconds_bucket{le="120.0"}'] == 0
    counted = len(helped.events) + len(crisis.events)
    assert value['wegwijzer_statistics_events_total{result="counted"}'] == counted
    assert value['wegwijzer_statistics_events_total{result="duplicate"}'] == 5
    assert value['wegwijzer_handoff_queue_length{priority="crisis"}'] == 1
    assert value['wegwijzer_handoff_queue_length{priority="normal"}'] == 1
    assert 600 <= value['wegwijzer_handoff_longest_wait_seconds{priority="crisis"}'] < 660
    assert 60 <= value['wegwijzer_handoff_longest_wait_seconds{priority="normal"}'] < 120

    assert set(re.findall(r'[{,](\w+)="', exposed)) <= ALLOWED_LABELS
    for secret in ("secret-id", "queued-1", "jan.peeters", "example.org"):
        assert secret not in exposed
    typed = [e["text"] for c in (helped, crisis) for e in c.events if e["event"] == "user"]
    assert not [text for text in typed if text in exposed]
    database.dispose_engines()


def test_an_unreadable_handoff_store_shows_no_queue_and_counts_an_error(tmp_path):
    metrics = Metrics(f"sqlite:///{tmp_path / 'missing' / 'handoff.db'}")
    exposed = generate_latest(metrics.registry).decode()
    assert "wegwijzer_handoff_queue_length{" not in exposed
    assert "wegwijzer_handoff_longest_wait_seconds{" not in exposed
    value = samples(generate_latest(metrics.registry).decode())  # the error shows from the next
    assert value['wegwijzer_errors_total{kind="handoff_store_unreadable"}'] == 1
    database.dispose_engines()


async def test_an_unreachable_statistics_database_is_counted_as_errors(hasher, tmp_path):
    metrics = Metrics(_handoff_store("sqlite", tmp_path))
    consumer = Consumer(f"sqlite:///{tmp_path / 'missing' / 'statistics.db'}", hasher, metrics)
    with pytest.raises(OperationalError):  # the source keeps the batch and tries again
        await consumer.handle(asking_for_help("widget-1").events)
    stop = asyncio.Event()
    closing = asyncio.create_task(consumer.close_periodically(stop))
    await asyncio.sleep(0.5)
    stop.set()
    await closing
    value = samples(generate_latest(metrics.registry).decode())
    assert value['wegwijzer_errors_total{kind="statistics_batch_failed"}'] == 1
    assert value['wegwijzer_errors_total{kind="statistics_close_failed"}'] == 1
    assert 'wegwijzer_statistics_events_total{result="counted"}' not in value
    database.dispose_engines()


async def test_the_consumer_serves_its_metrics_on_loopback_until_it_stops(tmp_path):
    port = free_port()
    settings = load_settings({"VAR_DIR": str(tmp_path), "METRICS_PORT": str(port)})
    create_schema(settings.statistics_url)
    fresh_handoff_store(settings.handoff_url)
    broker = SQLiteEventBroker(db=str(settings.events_db))
    for event in asking_for_help("widget-1").events:
        broker.publish(event)
    await broker.close()
    stop = asyncio.Event()
    consuming = asyncio.create_task(run(settings, stop))
    try:
        for _ in range(100):
            await asyncio.sleep(0.1)
            _, value = await asyncio.to_thread(scrape, port)
            if value.get('wegwijzer_messages_total{channel="widget"}') == 6:
                break
        assert value['wegwijzer_messages_total{channel="widget"}'] == 6
        assert value['wegwijzer_handoff_queue_length{priority="normal"}'] == 0
        assert "process_resident_memory_bytes" in value
        with socket.socket() as elsewhere:  # 127.0.0.2 reaches a server on 0.0.0.0, not ours
            assert elsewhere.connect_ex(("127.0.0.2", port)) != 0
    finally:
        stop.set()
        await consuming
    with socket.socket() as late:  # nothing answers once the consumer has stopped
        assert late.connect_ex(("127.0.0.1", port)) != 0


def test_a_port_in_use_leaves_the_metrics_unserved_and_the_consumer_counting(
    statistics_url, hasher, tmp_path
):
    metrics = Metrics(_handoff_store("sqlite", tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert not metrics.serve(taken.getsockname()[1])
    consumer = Consumer(statistics_url, hasher, metrics)
    assert consumer.record(asking_for_help("widget-1").events).counted > 0
    database.dispose_engines()
