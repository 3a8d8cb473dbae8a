"""The counsellor queue: most urgent first (crisis, then longest wait), race-free claims."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from handoff.models import (
    BOT,
    CLOSED,
    CRISIS,
    NORMAL,
    QUEUED,
    WITH_COUNSELLOR,
    AuditEntry,
    Conversation,
)

DEFAULT_HANDLING_MINUTES = 10.0  # until there are handled conversations to learn from
MIN_HANDLING_MINUTES = 5.0  # no estimate counts on a conversation taking less
SHORTEST_REAL_HANDLING = dt.timedelta(minutes=2)  # shorter: handed back, not handled
RECENT_HANDLED = 20


def utc_now() -> dt.datetime:
    """Naive UTC, as stored in the handoff tables."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class QueuePlace:
    """Where a waiting conversation stands."""

    position: int  # 1 = next
    minutes: int  # estimated wait


def record_activity(
    session: Session, conversation_id: str, channel: str, now: dt.datetime | None = None
) -> None:
    """Note that a conversation is going on (the console's live view of bot conversations)."""
    now = now or utc_now()
    row = session.get(Conversation, conversation_id)
    if row is None:
        session.add(
            Conversation(
                id=conversation_id, channel=channel, status=BOT, priority=NORMAL,
                started_at=now, last_active=now, summary={},
            )
        )  # fmt: skip
    else:
        row.last_active = now
        if row.status == CLOSED:  # the person came back: a new bot conversation
            row.status, row.priority, row.crisis = BOT, NORMAL, False
            row.queued_at = row.claimed_at = row.claimed_by = row.ended_at = None


def note_bot_progress(
    session: Session,
    conversation_id: str,
    user_group: str | None,
    topic: str | None,
    summary: dict,
    crisis: bool = False,
) -> None:
    """What the bot knows so far of a conversation it still holds (the console's live
    view), its crisis flag included (a crisis outside opening hours is not queued, yet a
    supervisor must see it); a queued or held conversation keeps what it had when it was
    queued. The flag never drops while the bot holds the conversation."""
    row = session.get(Conversation, conversation_id)
    if row is not None and row.status == BOT:
        row.user_group, row.topic, row.summary = user_group, topic, summary
        row.crisis = row.crisis or crisis


def enqueue(
    session: Session,
    conversation_id: str,
    channel: str,
    priority: str,
    user_group: str | None,
    topic: str | None,
    summary: dict,
    now: dt.datetime | None = None,
) -> Conversation:
    """Put a conversation in the queue; a crisis keeps its priority, a waiting one its place."""
    now = now or utc_now()
    record_activity(session, conversation_id, channel, now)
    row = session.get(Conversation, conversation_id)
    if row.status not in (QUEUED, WITH_COUNSELLOR):
        row.status, row.queued_at = QUEUED, now
    if priority == CRISIS or row.priority == CRISIS:
        row.priority, row.crisis = CRISIS, True
    row.user_group, row.topic, row.summary = user_group, topic, summary
    return row


def _queue_order():
    return (
        case((Conversation.priority == CRISIS, 0), else_=1),
        Conversation.queued_at,
        Conversation.id,
    )


def waiting(session: Session) -> list[Conversation]:
    """The queue, most urgent first."""
    return list(
        session.scalars(
            select(Conversation).where(Conversation.status == QUEUED).order_by(*_queue_order())
        )
    )


def handling_minutes(session: Session) -> float:
    """Minutes a counsellor typically spends on a conversation: the median of the recently
    ended ones, leaving out those ended within two minutes (handed back, not handled), and
    never below five.

    An average was thrown by a few conversations handed back within seconds: 31 people
    ahead and one counsellor online made "1 min".
    """
    rows = session.execute(
        select(Conversation.claimed_at, Conversation.ended_at)
        .where(Conversation.claimed_at.is_not(None), Conversation.ended_at.is_not(None))
        .order_by(Conversation.ended_at.desc())
        .limit(RECENT_HANDLED)
    ).all()
    spans = [
        (end - start).total_seconds() / 60
        for start, end in rows
        if end - start >= SHORTEST_REAL_HANDLING
    ]
    if not spans:
        return DEFAULT_HANDLING_MINUTES
    return max(statistics.median(spans), MIN_HANDLING_MINUTES)


def places(
    session: Session, counsellors_online: int, chats_per_counsellor: int = 1
) -> dict[str, QueuePlace]:
    """Position and estimated wait of every waiting conversation.

    The counsellors online offer ``chats_per_counsellor`` places each; those not taken by a
    conversation they hold are free now, so the first waiting conversations get "about a
    minute". Every one after them waits for places to come free: one typical handling time
    (``handling_minutes``) per round of all places.
    """
    per_conversation = handling_minutes(session)
    busy = session.scalar(
        select(func.count()).select_from(Conversation).where(Conversation.status == WITH_COUNSELLOR)
    )
    chat_places = counsellors_online * chats_per_counsellor
    free = max(chat_places - busy, 0)
    capacity = max(chat_places, 1)
    result = {}
    for position, row in enumerate(waiting(session), start=1):
        if position <= free:
            minutes = 1
        else:
            minutes = math.ceil((position - free) * per_conversation / capacity)
        result[row.id] = QueuePlace(position, max(minutes, 1))
    return result


def claim(
    session: Session, conversation_id: str, counsellor_id: int, now: dt.datetime | None = None
) -> bool:
    """Give the conversation to this counsellor; True for exactly one of many claimers.

    One conditional UPDATE: the database decides the race, on SQLite and PostgreSQL.
    """
    now = now or utc_now()
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status.in_((QUEUED, BOT)))
        .values(status=WITH_COUNSELLOR, claimed_by=counsellor_id, claimed_at=now, ended_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    audit(session, "claim", counsellor_id, conversation_id, now)
    return True


def is_with_counsellor(session: Session, conversation_id: str) -> bool:
    """A counsellor has the conversation now: the bot is silent on purpose."""
    row = session.get(Conversation, conversation_id)
    return row is not None and row.status == WITH_COUNSELLOR


def leave_queue(session: Session, conversation_id: str) -> bool:
    """The person goes on with the bot; False when they were not waiting."""
    row = session.get(Conversation, conversation_id)
    if row is None or row.status != QUEUED:
        return False
    row.status, row.queued_at = BOT, None
    return True


def end(
    session: Session,
    conversation_id: str,
    counsellor_id: int,
    action: str,
    now: dt.datetime | None = None,
) -> bool:
    """Hand back to the bot (``handback``) or close (``close``) a counsellor's conversation."""
    now = now or utc_now()
    row = session.get(Conversation, conversation_id)
    if (
        row is None
        or row.status == CLOSED
        or (action == "handback" and row.status != WITH_COUNSELLOR)
    ):
        return False
    row.status = BOT if action == "handback" else CLOSED
    row.ended_at = now
    row.queued_at = None
    audit(session, action, counsellor_id, conversation_id, now)
    return True


def audit(
    session: Session,
    action: str,
    counsellor_id: int | None,
    conversation_id: str,
    now: dt.datetime | None = None,
) -> None:
    """Write one audit entry: who did what to which conversation, never user text."""
    session.add(
        AuditEntry(
            action=action, counsellor_id=counsellor_id, conversation_id=conversation_id,
            at=now or utc_now(),
        )
    )  # fmt: skip


def audit_account(
    session: Session, action: str, counsellor_id: int | None, account_id: int
) -> None:
    """Write one audit entry of an account change: who (None: the command line) changed
    which account."""
    session.add(
        AuditEntry(action=action, counsellor_id=counsellor_id, account_id=account_id, at=utc_now())
    )
