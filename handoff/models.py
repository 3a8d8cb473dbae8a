"""Tables of the handoff store: conversations in the queue, counsellors, notes, audit log.

They live beside the knowledge store on the same database settings, in their own
metadata: rebuilding the knowledge store never touches them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import declarative_base

Base = declarative_base()

BOT, QUEUED, WITH_COUNSELLOR, CLOSED = "bot", "queued", "with_counsellor", "closed"
CRISIS, NORMAL = "crisis", "normal"
# Roles, each with the rights of the ones before it: a supervisor reads any active
# conversation, an admin also manages accounts.
COUNSELLOR, SUPERVISOR, ADMIN = "counsellor", "supervisor", "admin"
ROLES = (COUNSELLOR, SUPERVISOR, ADMIN)


class Conversation(Base):
    """A conversation the console can see: with the bot, waiting, with a counsellor or closed.

    ``id`` is the Rasa conversation id (random for the widget, a keyed hash for Telegram),
    never a raw channel user id. No user text is stored here.
    """

    __tablename__ = "handoff_conversations"
    id = Column(String(128), primary_key=True)
    channel = Column(String(40), nullable=False)
    status = Column(String(20), nullable=False, default=BOT)
    priority = Column(String(10), nullable=False, default=NORMAL)
    user_group = Column(String(40))
    topic = Column(String(60))
    crisis = Column(Boolean, nullable=False, default=False)
    summary = Column(JSON, nullable=False, default=dict)  # answered topics, signposted services
    started_at = Column(DateTime, nullable=False)
    last_active = Column(DateTime, nullable=False)
    queued_at = Column(DateTime)
    claimed_at = Column(DateTime)
    claimed_by = Column(Integer, ForeignKey("counsellors.id"))
    ended_at = Column(DateTime)  # handed back or closed
    rating = Column(Integer)


class Counsellor(Base):
    """A console account (counsellor, supervisor or admin); the password only as an
    Argon2id hash. A disabled account cannot log in and has no sessions."""

    __tablename__ = "counsellors"
    id = Column(Integer, primary_key=True)
    username = Column(String(80), unique=True, nullable=False)
    password_hash = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)
    role = Column(String(20), nullable=False, default=COUNSELLOR, server_default=COUNSELLOR)
    disabled = Column(Boolean, nullable=False, default=False, server_default=false())


class CounsellorSession(Base):
    """A logged-in console session: only the hash of its cookie token is stored.

    ``last_seen`` is presence (any request or socket ping: "online"); ``last_action`` is the
    last thing the counsellor did (an API request), from which the idle expiry counts.
    """

    __tablename__ = "counsellor_sessions"
    token_hash = Column(String(64), primary_key=True)
    counsellor_id = Column(Integer, ForeignKey("counsellors.id"), nullable=False)
    csrf_token = Column(String(64), nullable=False)
    last_seen = Column(DateTime, nullable=False)
    last_action = Column(DateTime, nullable=False)


class Note(Base):
    """An internal note of a counsellor on a conversation; never shown to the person.

    With ``whisper_to`` set it is a supervisor's whisper: only that counsellor (and its
    writer) sees it.
    """

    __tablename__ = "handoff_notes"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), ForeignKey("handoff_conversations.id"), nullable=False)
    counsellor_id = Column(Integer, ForeignKey("counsellors.id"), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)
    whisper_to = Column(Integer, ForeignKey("counsellors.id"))


class AuditEntry(Base):
    """Who did what, and when: claims, handbacks, closes and transcript reads name the
    conversation; account changes name the account (``account_id``). Never user text."""

    __tablename__ = "handoff_audit"
    id = Column(Integer, primary_key=True)
    action = Column(String(20), nullable=False)
    counsellor_id = Column(Integer, ForeignKey("counsellors.id"))
    conversation_id = Column(String(128))
    at = Column(DateTime, nullable=False)
    account_id = Column(Integer, ForeignKey("counsellors.id"))
