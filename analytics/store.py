"""Counting events into the statistics database: each event once, each conversation into
one hourly cell when it has ended.

One consumer process writes; a batch of events is one transaction, so the broker is told
an event was handled (RabbitMQ ack, SQL row deleted) only after it was counted. An event
delivered again is recognised by its fingerprint and skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

import database
from analytics.events import apply_event, event_time, is_error_reply, new_conversation
from analytics.models import (
    DIMENSIONS,
    LENGTH_BUCKETS,
    RATINGS,
    UNKNOWN,
    WAIT_BUCKETS,
    Base,
    DailyCell,
    HourlyCell,
    OpenConversation,
    SeenEvent,
)
from privacy.channel_ids import ChannelIdKeys

# A conversation has ended after this long without an event ...
IDLE = dt.timedelta(minutes=60)
# ... or this long while it waits for or talks with a counsellor (a claim can come late).
IDLE_WITH_COUNSELLOR = dt.timedelta(hours=12)
# Fingerprints are kept this long: a broker redelivers within minutes.
SEEN_KEPT = dt.timedelta(days=2)


def create_schema(url: str) -> None:
    """Create the statistics tables that are missing (a step before the consumer starts)."""
    with database.opened(url) as engine:
        Base.metadata.create_all(engine)


@dataclass(frozen=True)
class Hasher:
    """Keyed hashes of conversation ids and events (``privacy.channel_ids``' keyed hash)."""

    keys: ChannelIdKeys

    def conversation(self, sender_id: str) -> str:
        return self.keys.pseudonym("statistics", sender_id)

    def fingerprint(self, conversation: str, event: dict[str, Any]) -> str:
        body = json.dumps(event, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(f"{conversation}\0{body}".encode()).hexdigest()


@dataclass
class BatchResult:
    """What a batch did: events counted, events skipped as already counted, and what the
    counted ones were (for the operator's metrics; no conversation in it)."""

    counted: int = 0
    duplicates: int = 0
    messages: dict[str, int] = field(default_factory=dict)  # per channel
    fallbacks: int = 0
    clarifications: int = 0
    handoff_requests: int = 0
    crisis_flags: int = 0
    waits: list[float] = field(default_factory=list)  # seconds, queued to claimed
    errors: int = 0  # replies that a store was unavailable


def _tally(result: BatchResult, before: tuple, row: OpenConversation, event: dict) -> None:
    messages, fallbacks, clarifications, requested, crisis, wait = before
    if row.messages > messages:
        channel = row.channel or UNKNOWN
        result.messages[channel] = result.messages.get(channel, 0) + 1
    result.fallbacks += row.fallbacks - fallbacks
    result.clarifications += row.clarifications - clarifications
    result.handoff_requests += int(row.handoff_requested and not requested)
    result.crisis_flags += int(row.crisis and not crisis)
    if wait is None and row.wait_seconds is not None:
        result.waits.append(row.wait_seconds)
    result.errors += int(is_error_reply(event))


def _snapshot(row: OpenConversation) -> tuple:
    return (row.messages, row.fallbacks, row.clarifications, row.handoff_requested, row.crisis,
            row.wait_seconds)  # fmt: skip


def record_events(
    session: Session, hasher: Hasher, events: Iterable[dict[str, Any]]
) -> BatchResult:
    """Count every event not counted before into its open conversation."""
    keyed: list[tuple[str, str, dict[str, Any]]] = []
    for event in events:
        sender = event.get("sender_id")
        if not isinstance(sender, str) or not sender:
            continue
        conversation = hasher.conversation(sender)
        keyed.append((conversation, hasher.fingerprint(conversation, event), event))
    prints = {fingerprint for _, fingerprint, _ in keyed}
    seen = set(
        session.scalars(select(SeenEvent.fingerprint).where(SeenEvent.fingerprint.in_(prints)))
    )
    open_rows = {
        row.conversation: row
        for row in session.scalars(
            select(OpenConversation).where(
                OpenConversation.conversation.in_({c for c, _, _ in keyed})
            )
        )
    }
    result = BatchResult()
    for conversation, fingerprint, event in keyed:
        if fingerprint in seen:
            result.duplicates += 1
            continue
        seen.add(fingerprint)
        at = event_time(event)
        session.add(SeenEvent(fingerprint=fingerprint, seen_at=at))
        row = open_rows.get(conversation)
        if row is None:
            row = open_rows[conversation] = new_conversation(conversation, at)
            session.add(row)
        before = _snapshot(row)
        apply_event(row, event)
        _tally(result, before, row, event)
        result.counted += 1
    return result


def _bucket(value: float, buckets: tuple[tuple[float, str], ...]) -> str:
    return next(name for bound, name in buckets if value <= bound)


def _cell_key(row: OpenConversation) -> tuple[dt.datetime, str, str, str, str]:
    hour = row.started_at.replace(minute=0, second=0, microsecond=0)
    return (
        hour,
        row.channel or UNKNOWN,
        row.user_group or UNKNOWN,
        row.topic or UNKNOWN,
        row.language or UNKNOWN,
    )


def _add_to_cell(cell: HourlyCell, row: OpenConversation) -> None:
    def add(name: str, amount: float = 1) -> None:
        setattr(cell, name, (getattr(cell, name) or 0) + amount)

    add("conversations")
    add("messages", row.messages)
    add("fallbacks", row.fallbacks)
    add("clarifications", row.clarifications)
    add("handoff_requests", int(row.handoff_requested))
    add("handoffs_queued", int(row.handoff_queued))
    add("handoffs_claimed", int(row.claimed))
    add("handoffs_finished", int(row.handoff_finished))
    add("crisis_flags", int(row.crisis))
    add("duration_seconds", max(0.0, (row.last_event_at - row.started_at).total_seconds()))
    if row.wait_seconds is not None:
        add("wait_seconds", row.wait_seconds)
        add(_bucket(row.wait_seconds, WAIT_BUCKETS))
    if row.messages:
        add(_bucket(row.messages, LENGTH_BUCKETS))
    if row.rating is not None:
        add(dict(RATINGS)[row.rating])


def _cell(
    session: Session,
    cells: dict[tuple, Any],
    model: type,
    column: str,
    start: dt.datetime,
    dimensions: list[str],
) -> Any:
    """The cell of ``model`` starting at ``start`` with ``dimensions``, made when missing."""
    key = (model, start, *dimensions)
    cell = cells.get(key)
    if cell is None:
        named = dict(zip(DIMENSIONS, dimensions, strict=True))
        cell = session.scalars(select(model).filter_by(**{column: start}, **named)).first()
        if cell is None:
            cell = model(**{column: start}, **named)
            session.add(cell)
        cells[key] = cell
    return cell


def close_ended_conversations(session: Session, now: dt.datetime) -> int:
    """Add every conversation that has ended by ``now`` to its hourly cell and forget it;
    also forget fingerprints older than SEEN_KEPT. Returns the conversations closed."""
    ended = list(
        session.scalars(select(OpenConversation).where(OpenConversation.last_event_at < now - IDLE))
    )
    ended = [
        row for row in ended if not row.waiting or row.last_event_at < now - IDLE_WITH_COUNSELLOR
    ]
    cells: dict[tuple, Any] = {}
    for row in ended:
        hour, *dimensions = _cell_key(row)
        day = hour.replace(hour=0)
        for model, column, start in ((HourlyCell, "hour", hour), (DailyCell, "day", day)):
            _add_to_cell(_cell(session, cells, model, column, start, dimensions), row)
        session.delete(row)
    session.execute(delete(SeenEvent).where(SeenEvent.seen_at < now - SEEN_KEPT))
    return len(ended)
