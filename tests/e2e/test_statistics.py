"""The statistics on the real stack: the launcher starts the consumer, Rasa's events reach it
through the embedded set-up's SQLite event table and the scaled set-up's RabbitMQ, and a
conversation is counted without its text or its id."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest
from sqlalchemy import select, text

import database
from analytics.consumer import statistics_keys
from analytics.models import HourlyCell, OpenConversation
from analytics.store import Hasher, close_ended_conversations
from tests.e2e.conftest import Assistant, running_scaled_stack
from tests.rabbitmq import require_rabbitmq
from tests.scrape import scrape

pytestmark = pytest.mark.e2e


def _counted(stack, sender: str, messages: int, timeout: float = 30.0) -> OpenConversation:
    """The conversation's running counts once all ``messages`` are in."""
    key = Hasher(statistics_keys(stack.settings)).conversation(sender)
    deadline = time.monotonic() + timeout
    with database.opened(stack.settings.statistics_url) as engine:
        factory = database.session_factory(engine)
        while True:
            with factory() as session:
                row = session.get(OpenConversation, key)
                if row is not None and row.messages >= messages:
                    return row
            assert time.monotonic() < deadline, f"not counted: {row and row.messages}"
            time.sleep(0.2)


def _talk(stack) -> str:
    person = Assistant(stack=stack, sender=f"stats-{uuid.uuid4().hex}")
    person.say("ik zit in het 6de jaar aso")
    person.say("wat kan ik gaan studeren?")
    person.say("ik wil met een mens praten")
    return person.sender


def _close_and_read(url: str, sender: str) -> tuple[list[HourlyCell], str]:
    """Close every conversation as if a day had passed; the cells and all stored text."""
    with database.opened(url) as engine:
        factory = database.session_factory(engine)
        with factory.begin() as session:
            close_ended_conversations(session, dt.datetime.utcnow() + dt.timedelta(days=1))
        with factory() as session:
            cells = list(session.scalars(select(HourlyCell)))
            stored = " ".join(
                str(value)
                for table in ("stats_hourly", "stats_daily", "stats_open_conversations")
                for row in session.execute(text(f"SELECT * FROM {table}"))
                for value in row
            )
    return cells, stored


def _assert_metrics(stack, sender: str) -> None:
    """The consumer's /metrics counted the conversation's messages and read the queue, and
    name neither the conversation nor what was typed."""
    deadline = time.monotonic() + 5  # the counters follow the batch's commit
    while True:
        exposed, value = scrape(stack.settings.metrics_port)
        if value.get('wegwijzer_messages_total{channel="rest"}', 0) >= 3:
            break
        assert time.monotonic() < deadline, value
        time.sleep(0.2)
    assert value["wegwijzer_handoff_requests_total"] >= 1
    assert 'wegwijzer_handoff_queue_length{priority="normal"}' in value
    assert sender not in exposed and "6de jaar" not in exposed


def test_a_conversation_is_counted_in_the_embedded_set_up(stack):
    sender = _talk(stack)
    row = _counted(stack, sender, 3)
    assert (row.channel, row.user_group, row.handoff_requested) == ("rest", "scholier", True)
    _assert_metrics(stack, sender)
    cells, stored = _close_and_read(stack.settings.statistics_url, sender)
    assert sum(c.conversations for c in cells) >= 1
    assert sender not in stored and "6de jaar" not in stored
    with database.opened(stack.settings.events_url) as engine, engine.connect() as conn:
        time.sleep(1)  # the consumer deletes what it counted
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == 0


@pytest.fixture(scope="module")
def scaled_stack(model_path, tmp_path_factory, fake_telegram):
    require_rabbitmq()
    yield from running_scaled_stack(
        model_path,
        tmp_path_factory.mktemp("scaled-statistics"),
        fake_telegram.url,
        "wegwijzer_e2e_statistics",
        "redis://127.0.0.1:6379/6",
    )


def test_a_conversation_is_counted_through_rabbitmq_in_the_scaled_set_up(scaled_stack):
    assert scaled_stack.settings.statistics_url.endswith("/wegwijzer_e2e_statistics_statistics")
    sender = _talk(scaled_stack)
    row = _counted(scaled_stack, sender, 3)
    assert (row.channel, row.user_group, row.handoff_requested) == ("rest", "scholier", True)
    _assert_metrics(scaled_stack, sender)  # the queue read from PostgreSQL
    cells, stored = _close_and_read(scaled_stack.settings.statistics_url, sender)
    assert sum(c.conversations for c in cells) >= 1 and sender not in stored
