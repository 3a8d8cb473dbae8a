"""Who may do what with a conversation: the rules of docs/handoff.md ("Roles and rules").

A counsellor sees the queue as summaries and reads the transcript only of a conversation it
holds; a supervisor (and an admin, who has every right of a supervisor) reads any active
conversation, read-only, and may add notes, whisper to the counsellor who holds it and
close it. A conversation still with the bot is opened and taken over only by a supervisor.
Each refusal is a 403 with a message from texts.yml saying why.
"""

from __future__ import annotations

import datetime as dt

from aiohttp import web

from channels.console.texts import ERRORS
from handoff.accounts import LiveSession, rank
from handoff.models import ADMIN, BOT, CLOSED, QUEUED, SUPERVISOR, WITH_COUNSELLOR, Conversation

# A bot conversation is active (and in the live view) this long after its last message.
LIVE_WINDOW = dt.timedelta(minutes=30)


def is_supervisor(reader: LiveSession) -> bool:
    return rank(reader.role) >= rank(SUPERVISOR)


def is_admin(reader: LiveSession) -> bool:
    return rank(reader.role) >= rank(ADMIN)


def holds(reader: LiveSession, row: Conversation) -> bool:
    return row.status == WITH_COUNSELLOR and row.claimed_by == reader.counsellor_id


def is_active(row: Conversation, now: dt.datetime) -> bool:
    """Waiting, with a counsellor, or with the bot within the live view's half hour."""
    if row.status in (QUEUED, WITH_COUNSELLOR):
        return True
    return row.status == BOT and row.last_active >= now - LIVE_WINDOW


def why_not_read(reader: LiveSession, row: Conversation, now: dt.datetime) -> str | None:
    """None when ``reader`` may read the transcript; else the message of the 403."""
    if holds(reader, row):
        return None
    if not is_active(row, now):
        return ERRORS.read_not_active
    if is_supervisor(reader):
        return None
    if row.status == QUEUED:
        return ERRORS.read_claim_first
    if row.status == WITH_COUNSELLOR:
        return ERRORS.read_someone_elses
    return ERRORS.read_bot_supervisor_only


def may_read(reader: LiveSession, row: Conversation, now: dt.datetime) -> bool:
    return why_not_read(reader, row, now) is None


def check_claim(reader: LiveSession, row: Conversation) -> None:
    """A conversation still with the bot is taken over only by a supervisor (it would give
    a counsellor the transcript of a conversation nobody asked a human for)."""
    if row.status == BOT and not is_supervisor(reader):
        raise web.HTTPForbidden(text=ERRORS.claim_bot_supervisor_only)


def check_note(reader: LiveSession, row: Conversation, now: dt.datetime) -> None:
    """Notes: the holder, or a supervisor on a conversation it may read."""
    if holds(reader, row) or (is_supervisor(reader) and is_active(row, now)):
        return
    raise web.HTTPForbidden(text=ERRORS.note_needs_claim)


def check_close(reader: LiveSession, row: Conversation) -> None:
    """Closing: the holder, or a supervisor (a queued crisis conversation too)."""
    if row.status == CLOSED or holds(reader, row) or is_supervisor(reader):
        return  # a closed one is answered 409 by the handler
    raise web.HTTPForbidden(text=ERRORS.close_needs_claim)
