"""Retention: delete conversations older than the retention period, or one on request.

What goes: Rasa's tracker events (the transcript), the handoff store's conversation rows
(queue entries, summaries, ratings), counsellor notes and audit entries, expired console
sessions and, in the scaled set-up, the conversation's keys in Redis (its sealed Telegram
chat id and button payloads, ``privacy.shared_state``); without Redis the chat ids live
only in memory and expire on their own. SQLite overwrites what it deletes (``database``).
``python -m privacy.retention`` (``make purge``) runs it from cron; the web server runs it
once a day by itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Engine

import database
from handoff.accounts import SESSION_IDLE
from handoff.models import AuditEntry, Conversation, CounsellorSession, Note
from handoff.queue import utc_now
from privacy.shared_state import forget_conversations
from settings import load_settings

_events = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("timestamp", Float),
)  # Rasa's SQL tracker store table: only the columns needed here


@dataclass(frozen=True)
class PurgeReport:
    """How much was deleted; counts only, never content."""

    conversations: int
    tracker_events: int
    notes: int
    audit_entries: int
    redis_keys: int = 0


def _has_table(engine: Engine, name: str) -> bool:
    """Rasa creates its table on first use, the migration step the handoff tables: before
    that there is nothing to delete."""
    return inspect(engine).has_table(name)


def _expired_senders(engine: Engine, cutoff: dt.datetime) -> list[str]:
    last = func.max(_events.c.timestamp)
    query = (
        select(_events.c.sender_id)
        .group_by(_events.c.sender_id)
        .having(last < cutoff.replace(tzinfo=dt.timezone.utc).timestamp())
    )
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(query)]


def _delete_tracker(engine: Engine, senders: list[str]) -> int:
    deleted = 0
    with engine.begin() as conn:
        for start in range(0, len(senders), 500):
            chunk = senders[start : start + 500]
            deleted += conn.execute(delete(_events).where(_events.c.sender_id.in_(chunk))).rowcount
    return deleted


def _expired_conversations(engine: Engine, cutoff: dt.datetime) -> list[str]:
    with engine.connect() as conn:
        query = select(Conversation.id).where(Conversation.last_active < cutoff)
        return [row[0] for row in conn.execute(query)]


def _delete_handoff(engine: Engine, ids: list[str]) -> tuple[int, int]:
    """Delete the handoff rows, notes and audit entries of these conversations."""
    notes = audit = 0
    with engine.begin() as conn:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            notes += conn.execute(delete(Note).where(Note.conversation_id.in_(chunk))).rowcount
            audit += conn.execute(
                delete(AuditEntry).where(AuditEntry.conversation_id.in_(chunk))
            ).rowcount
            conn.execute(delete(Conversation).where(Conversation.id.in_(chunk)))
    return notes, audit


def _delete_old_records(engine: Engine, cutoff: dt.datetime) -> int:
    """Audit entries past the retention period and idle console sessions."""
    with engine.begin() as conn:
        audit = conn.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount
        idle = utc_now() - SESSION_IDLE
        conn.execute(delete(CounsellorSession).where(CounsellorSession.last_seen < idle))
    return audit


def purge(
    tracker_url: str,
    handoff_url: str,
    days: int,
    now: dt.datetime | None = None,
    redis_url: str | None = None,
) -> PurgeReport:
    """Delete everything about conversations idle for more than ``days`` days; with
    ``redis_url`` (the scaled set-up) also their keys in Redis."""
    cutoff = (now or utc_now()) - dt.timedelta(days=days)
    tracker, handoff = database.engine(tracker_url), database.engine(handoff_url)
    senders = _expired_senders(tracker, cutoff) if _has_table(tracker, "events") else []
    events = _delete_tracker(tracker, senders)
    expired, notes, audit = sorted(senders), 0, 0
    if _has_table(handoff, Conversation.__tablename__):
        expired = sorted(set(senders) | set(_expired_conversations(handoff, cutoff)))
        notes, audit = _delete_handoff(handoff, expired)
        audit += _delete_old_records(handoff, cutoff)
    keys = forget_conversations(redis_url, expired) if redis_url else 0
    return PurgeReport(len(expired), events, notes, audit, keys)


def erase_conversation(
    tracker_url: str, handoff_url: str, conversation_id: str, redis_url: str | None = None
) -> PurgeReport:
    """Delete one conversation at once: the person asked for it ("wis dit gesprek")."""
    tracker, handoff = database.engine(tracker_url), database.engine(handoff_url)
    events = _delete_tracker(tracker, [conversation_id]) if _has_table(tracker, "events") else 0
    notes = audit = 0
    if _has_table(handoff, Conversation.__tablename__):
        notes, audit = _delete_handoff(handoff, [conversation_id])
    keys = forget_conversations(redis_url, [conversation_id]) if redis_url else 0
    return PurgeReport(1, events, notes, audit, keys)


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(prog="python -m privacy.retention", description=__doc__)
    parser.add_argument("--days", type=int, default=settings.retention_days)
    args = parser.parse_args(argv)
    redis_url = settings.redis_url if settings.scaled else None
    report = purge(settings.tracker_url, settings.handoff_url, args.days, redis_url=redis_url)
    print(
        f"Deleted conversations idle for more than {args.days} days: {report.conversations} "
        f"conversations, {report.tracker_events} tracker events, {report.notes} notes, "
        f"{report.audit_entries} audit entries."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
