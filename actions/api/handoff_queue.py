"""The counsellor queue in the handoff store, and the opening hours, for the action server.

Each call is one short transaction in a worker thread (``database.in_transaction``) and
returns plain data. Any database failure becomes HandoffUnavailable, so that an action
can say so and keep the conversation going. The schema is migrated at start-up
(``python -m handoff migrate``), not here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

import database
from handoff import queue
from handoff.accounts import counsellors_online
from handoff.models import Conversation
from handoff.opening_hours import DEFAULT_FILE, OpeningHours, load_opening_hours
from settings import load_settings

T = TypeVar("T")


class HandoffUnavailable(RuntimeError):
    """The handoff store cannot be reached or written right now."""


@dataclass(frozen=True)
class Queued:
    """A conversation just put in the queue: where it stands and who could take it."""

    place: queue.QueuePlace | None
    counsellors_online: int


async def _transaction(work: Callable[..., T], *args: Any) -> T:
    try:
        return await database.in_transaction(database.handoff_sessions(), work, *args)
    except SQLAlchemyError as error:
        raise HandoffUnavailable(type(error).__name__) from error


def _read_opening_hours() -> OpeningHours:
    return load_opening_hours(load_settings().opening_hours_file or DEFAULT_FILE)


async def opening_hours() -> OpeningHours:
    """The configured opening hours (OPENING_HOURS_FILE, default CLB Ch@t's), read anew
    on every call so that a changed file counts at once."""
    return await asyncio.to_thread(_read_opening_hours)


async def join_queue(
    conversation_id: str,
    channel: str,
    priority: str,
    now: dt.datetime,
    *,
    user_group: str | None,
    topic: str | None,
    summary: dict,
) -> Queued:
    """Put the conversation in the queue (a crisis keeps its priority, a waiting one its
    place); its place and estimated wait."""

    def enqueue(session: Session) -> Queued:
        queue.enqueue(session, conversation_id, channel, priority, user_group, topic, summary, now)
        session.flush()
        online = counsellors_online(session, now)
        return Queued(queue.places(session, online).get(conversation_id), online)

    return await _transaction(enqueue)


async def note_progress(
    conversation_id: str,
    *,
    user_group: str | None,
    topic: str | None,
    summary: dict,
    crisis: bool = False,
) -> None:
    """Keep what the bot knows of a conversation it holds, for the console's live view."""
    await _transaction(queue.note_bot_progress, conversation_id, user_group, topic, summary, crisis)


async def leave_queue(conversation_id: str) -> bool:
    """The person goes on with the bot; False when they were not waiting."""
    return await _transaction(queue.leave_queue, conversation_id)


def _rate(session: Session, conversation_id: str, stars: int) -> None:
    row = session.get(Conversation, conversation_id)
    if row is not None:
        row.rating = stars


async def rate_conversation(conversation_id: str, stars: int) -> None:
    """Keep the person's 1-5 star rating of the conversation."""
    await _transaction(_rate, conversation_id, stars)
