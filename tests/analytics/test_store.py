"""Counting events: each once, each conversation into one hourly cell, never text or ids."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text

from analytics.models import Base, HourlyCell, OpenConversation
from analytics.store import close_ended_conversations, record_events
from tests.analytics.conftest import START, Conversation, asking_for_help

LATER = START + dt.timedelta(days=1)


def _cells(sessions) -> list[HourlyCell]:
    with sessions() as session:
        return list(session.scalars(select(HourlyCell)))


def test_a_conversation_is_counted_into_its_hourly_cell(sessions, hasher):
    events = asking_for_help("widget-abc", wait_s=240).events
    with sessions.begin() as session:
        assert record_events(session, hasher, events).counted == len(events)
    with sessions.begin() as session:
        assert close_ended_conversations(session, LATER) == 1
    [cell] = _cells(sessions)
    assert (cell.hour, cell.channel, cell.user_group, cell.topic, cell.language) == (
        dt.datetime(2026, 3, 2, 9), "widget", "leerling_secundair", "study_choice_higher", "nl",
    )  # fmt: skip
    assert (cell.conversations, cell.messages, cell.fallbacks, cell.clarifications) == (1, 6, 1, 1)
    assert (cell.handoff_requests, cell.handoffs_queued, cell.handoffs_claimed) == (1, 1, 1)
    assert (cell.handoffs_finished, cell.crisis_flags, cell.rating_4) == (1, 0, 1)
    assert cell.wait_seconds == 240 and cell.wait_5m == 1 and cell.length_10 == 1


def test_a_redelivered_event_is_counted_once(sessions, hasher):
    events = asking_for_help("widget-abc").events
    with sessions.begin() as session:
        record_events(session, hasher, events[:10])
    with sessions.begin() as session:  # the broker delivers part of it again, then the rest
        result = record_events(session, hasher, events[5:] + events[5:7])
    assert (result.counted, result.duplicates) == (len(events) - 10, 7)
    with sessions.begin() as session:
        close_ended_conversations(session, LATER)
    [cell] = _cells(sessions)
    assert (cell.conversations, cell.messages, cell.fallbacks) == (1, 6, 1)


def test_an_event_delivered_after_its_conversation_closed_is_not_counted_again(sessions, hasher):
    events = asking_for_help("widget-abc").events
    with sessions.begin() as session:
        record_events(session, hasher, events)
    with sessions.begin() as session:
        close_ended_conversations(session, START + dt.timedelta(hours=3))
    with sessions.begin() as session:
        assert record_events(session, hasher, events[-3:]).duplicates == 3
        close_ended_conversations(session, LATER)
    assert [cell.conversations for cell in _cells(sessions)] == [1]


def test_only_ended_conversations_are_counted_and_a_waiting_one_may_wait_long(sessions, hasher):
    talking = Conversation("talking").says("hallo", "greet")
    waiting = Conversation("waiting").says("mens aub", "ask_human").slot("handoff_status", "queued")
    with sessions.begin() as session:
        record_events(session, hasher, talking.events + waiting.events)
    with sessions.begin() as session:
        assert close_ended_conversations(session, START + dt.timedelta(minutes=30)) == 0
        assert close_ended_conversations(session, START + dt.timedelta(hours=2)) == 1
    with sessions.begin() as session:
        assert close_ended_conversations(session, START + dt.timedelta(hours=13)) == 1


def test_crisis_and_language_and_channel(sessions, hasher):
    c = Conversation("tg-hash", channel="telegram").says("I want to die", "crisis")
    c.slot("language", "en").action("action_crisis_response").slot("crisis", True)
    c.slot("topic", None).slot("handoff_priority", "crisis")
    with sessions.begin() as session:
        record_events(session, hasher, c.events)
        close_ended_conversations(session, LATER)
    [cell] = _cells(sessions)
    assert (cell.channel, cell.language, cell.topic, cell.user_group) == (
        "telegram",
        "en",
        "unknown",
        "unknown",
    )
    assert (cell.crisis_flags, cell.handoff_requests, cell.handoffs_queued) == (1, 1, 0)


def test_no_text_and_no_id_is_stored(sessions, hasher, statistics_url):
    sender = "widget-7f3a9c"
    conversation = asking_for_help(sender)
    texts = [e["text"] for e in conversation.events if e.get("text")]
    with sessions.begin() as session:
        record_events(session, hasher, conversation.events)

    def stored_values() -> str:
        with sessions() as session:
            return " ".join(
                str(value)
                for table in Base.metadata.sorted_tables
                for row in session.execute(text(f"SELECT * FROM {table.name}"))
                for value in row
            )

    for snapshot in (stored_values(),):
        assert sender not in snapshot
        assert not [t for t in texts if t in snapshot]
    with sessions.begin() as session:
        close_ended_conversations(session, LATER)
    with sessions() as session:
        assert session.scalars(select(OpenConversation)).first() is None
    snapshot = stored_values()
    assert sender not in snapshot and not [t for t in texts if t in snapshot]
