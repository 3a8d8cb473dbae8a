"""Tables of the statistics database: hourly aggregates, and the consumer's working tables.

The statistics live in a database of their own (``Settings.statistics_url``): they are kept
longer than conversations (30 days) and are read by other people (supervisors), and their
schema changes apart from the handoff store's.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base

Base = declarative_base()

# Upper bounds in seconds of the waiting-time buckets, with their columns; the last bucket
# is open ("longer than two hours").
WAIT_BUCKETS: tuple[tuple[float, str], ...] = (
    (60, "wait_1m"),
    (120, "wait_2m"),
    (300, "wait_5m"),
    (600, "wait_10m"),
    (900, "wait_15m"),
    (1800, "wait_30m"),
    (3600, "wait_60m"),
    (7200, "wait_120m"),
    (float("inf"), "wait_longer"),
)
# Upper bounds of the conversation-length buckets (messages the person sent).
LENGTH_BUCKETS: tuple[tuple[float, str], ...] = (
    (1, "length_1"),
    (2, "length_2"),
    (5, "length_5"),
    (10, "length_10"),
    (20, "length_20"),
    (float("inf"), "length_longer"),
)
RATINGS: tuple[tuple[int, str], ...] = tuple((stars, f"rating_{stars}") for stars in range(1, 6))

# The plain counts of a cell: summed in every view.
COUNTS: tuple[str, ...] = (
    "conversations",
    "messages",
    "fallbacks",
    "clarifications",
    "handoff_requests",
    "handoffs_queued",
    "handoffs_claimed",
    "handoffs_finished",
    "crisis_flags",
    "duration_seconds",
    "wait_seconds",
    *(name for _, name in WAIT_BUCKETS),
    *(name for _, name in LENGTH_BUCKETS),
    *(name for _, name in RATINGS),
)
DIMENSIONS: tuple[str, ...] = ("channel", "user_group", "topic", "language")
UNKNOWN = "unknown"  # a dimension without a value: no group given, no topic asked


class _CellCounts:
    """The counts of a cell: what happened in its conversations, no id, no text."""

    id = Column(Integer, primary_key=True)
    channel = Column(String(40), nullable=False)
    user_group = Column(String(40), nullable=False)
    topic = Column(String(60), nullable=False)
    language = Column(String(10), nullable=False)
    conversations = Column(Integer, nullable=False, default=0)
    messages = Column(Integer, nullable=False, default=0)  # sent by the person
    fallbacks = Column(Integer, nullable=False, default=0)  # messages not understood
    clarifications = Column(Integer, nullable=False, default=0)  # "Bedoel je ...?" asked
    handoff_requests = Column(Integer, nullable=False, default=0)  # conversations asking
    handoffs_queued = Column(Integer, nullable=False, default=0)
    handoffs_claimed = Column(Integer, nullable=False, default=0)
    handoffs_finished = Column(Integer, nullable=False, default=0)  # handed back or closed
    crisis_flags = Column(Integer, nullable=False, default=0)  # conversations flagged
    duration_seconds = Column(Float, nullable=False, default=0.0)  # summed
    wait_seconds = Column(Float, nullable=False, default=0.0)  # queued to claimed, summed
    wait_1m = Column(Integer, nullable=False, default=0)
    wait_2m = Column(Integer, nullable=False, default=0)
    wait_5m = Column(Integer, nullable=False, default=0)
    wait_10m = Column(Integer, nullable=False, default=0)
    wait_15m = Column(Integer, nullable=False, default=0)
    wait_30m = Column(Integer, nullable=False, default=0)
    wait_60m = Column(Integer, nullable=False, default=0)
    wait_120m = Column(Integer, nullable=False, default=0)
    wait_longer = Column(Integer, nullable=False, default=0)
    length_1 = Column(Integer, nullable=False, default=0)
    length_2 = Column(Integer, nullable=False, default=0)
    length_5 = Column(Integer, nullable=False, default=0)
    length_10 = Column(Integer, nullable=False, default=0)
    length_20 = Column(Integer, nullable=False, default=0)
    length_longer = Column(Integer, nullable=False, default=0)
    rating_1 = Column(Integer, nullable=False, default=0)
    rating_2 = Column(Integer, nullable=False, default=0)
    rating_3 = Column(Integer, nullable=False, default=0)
    rating_4 = Column(Integer, nullable=False, default=0)
    rating_5 = Column(Integer, nullable=False, default=0)


class HourlyCell(_CellCounts, Base):
    """The conversations that started in one hour (UTC) on one channel, of one user group,
    on one first topic, in one language, with what happened in them. A conversation counts
    in one hourly cell only."""

    __tablename__ = "stats_hourly"
    __table_args__ = (
        UniqueConstraint("hour", *DIMENSIONS, name="uq_stats_hourly_cell"),
        Index("ix_stats_hourly_hour", "hour"),
    )
    hour = Column(DateTime, nullable=False)


class DailyCell(_CellCounts, Base):
    """The same counts per day (UTC): the hourly cells of a day summed when they are
    written, so that a year is read from at most 365 days of cells."""

    __tablename__ = "stats_daily"
    __table_args__ = (
        UniqueConstraint("day", *DIMENSIONS, name="uq_stats_daily_cell"),
        Index("ix_stats_daily_day", "day"),
    )
    day = Column(DateTime, nullable=False)


class OpenConversation(Base):
    """A conversation that is still going on, under a keyed hash of its id, with its running
    counts; deleted when it is added to its hourly cell (after an idle time). No text."""

    __tablename__ = "stats_open_conversations"
    conversation = Column(String(40), primary_key=True)  # keyed hash, never the id
    started_at = Column(DateTime, nullable=False)
    last_event_at = Column(DateTime, nullable=False, index=True)
    channel = Column(String(40))
    user_group = Column(String(40))
    topic = Column(String(60))
    language = Column(String(10))
    messages = Column(Integer, nullable=False, default=0)
    fallbacks = Column(Integer, nullable=False, default=0)
    clarifications = Column(Integer, nullable=False, default=0)
    handoff_requested = Column(Boolean, nullable=False, default=False)
    queued_at = Column(DateTime)
    handoff_queued = Column(Boolean, nullable=False, default=False)
    claimed = Column(Boolean, nullable=False, default=False)
    wait_seconds = Column(Float)
    handoff_finished = Column(Boolean, nullable=False, default=False)
    waiting = Column(Boolean, nullable=False, default=False)  # queued or with a counsellor
    crisis = Column(Boolean, nullable=False, default=False)
    rating = Column(Integer)


class SeenEvent(Base):
    """The fingerprint of an event already counted (a keyed hash of the conversation and
    the event), so that a redelivered event is counted once; kept two days."""

    __tablename__ = "stats_seen_events"
    fingerprint = Column(String(64), primary_key=True)
    seen_at = Column(DateTime, nullable=False, index=True)
