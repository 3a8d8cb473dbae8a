"""Rasa's SQL tracker store and Redis lock store, made to ride out a server restart.

Rasa creates its SQL engine without ``pool_pre_ping`` and its Redis client without
retries: after PostgreSQL or Redis restarts, the first message on every pooled connection
would fail. With these, a dead connection is replaced before the message is handled, so
the service recovers as soon as the server is back.

Rasa also wraps every tracker store in a ``FailSafeTrackerStore`` that catches any
``Exception`` and goes on with an empty in-memory tracker: with the database down, the
person would get an answer that forgot the conversation, and the message would be gone
when the process ends. ``StoreUnavailable`` is a ``BaseException`` so that it passes that
wrapper; the channel guard (channels/guard.py) catches it and asks the person to send the
message again. Configured in ``bot/endpoints.yml`` and ``bot/endpoints-scaled.yml``.

To handle a message, Rasa loads the whole conversation, replays it and featurizes it: the
200th message of a conversation took twice as long as the 5th. The tracker store here
loads, for the message at hand, the last RECENT_TURNS turns plus, from before them, the
latest value of each slot and the other events that carry state (pause, active loop,
restarts): the policies look back five turns at most (bot/config.yml), so their
predictions and the slots are the same. The full
conversation stays in the database and Rasa's HTTP API still returns all of it.

Rasa's store runs its SQLAlchemy queries inside ``async`` methods, on the event loop: one
slow query stalled every other conversation of the process. Here every query runs in a
worker thread (``asyncio.to_thread``); the engine's pool is thread-safe and the lock store
keeps two threads from working on one conversation at a time.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

# Events that change the tracker's state beyond their own turn: always loaded.
STATE_EVENTS = (
    "slot", "reset_slots", "restart", "pause", "resume", "active_loop", "form", "session_started",
)  # fmt: skip
# Turns loaded for a message: more than the rules and memoized stories (3 turns) look at.
RECENT_TURNS = 10
# Set on a tracker loaded in part: how many of its events came from the database.
_LOADED = "_wegwijzer_loaded_events"


class StoreUnavailable(BaseException):
    """The conversation store cannot be read or written: the message was not kept."""


class CheckedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose pool pings a connection before handing it out, and that
    raises StoreUnavailable instead of letting Rasa fall back to memory."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The current session's state and its last RECENT_TURNS turns."""
        events = await self._in_thread(self._read_recent, sender_id)
        if not self.domain or not events:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        setattr(tracker, _LOADED, len(events))
        return tracker

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        """Every event of every session (Rasa's HTTP API)."""
        events = await self._in_thread(self._read_all, sender_id)
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Publish the new events to the event broker, then add them to the database."""
        await self.stream_events(tracker)
        await self._in_thread(self._write_new_events, tracker)

    @staticmethod
    async def _in_thread(work: Any, *args: Any) -> Any:
        """``work(*args)`` in a worker thread; a database error becomes StoreUnavailable."""
        try:
            return await asyncio.to_thread(work, *args)
        except SQLAlchemyError as error:
            raise StoreUnavailable(type(error).__name__) from error

    def _read_recent(self, sender_id: str) -> list[dict[str, Any]]:
        with self.session_scope() as session:
            return [json.loads(row.data) for row in self._recent_rows(session, sender_id)]

    def _read_all(self, sender_id: str) -> list[dict[str, Any]]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=True)
            return [json.loads(row.data) for row in rows.all()]

    def _write_new_events(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``save`` without the broker: one row per event not yet stored."""
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    def _recent_rows(self, session: Any, sender_id: str) -> list[Any]:
        """Rows of the current session: its last RECENT_TURNS turns; before them, only the
        latest value of each slot and the other state events, in their order.

        The session's start is looked up once: inside one statement (as Rasa's query has
        it) PostgreSQL may run that lookup again for every row.
        """
        event = self.SQLEvent
        session_start = (
            session.query(sa.func.max(event.timestamp))
            .filter(event.sender_id == sender_id, event.type_name == "session_started")
            .scalar()
        )
        rows = session.query(event).filter(event.sender_id == sender_id)
        if session_start is not None:
            rows = rows.filter(event.timestamp >= session_start)
        start = (
            rows.filter(event.type_name == "action", event.action_name == "action_listen")
            .with_entities(event.id)
            .order_by(event.id.desc())
            .offset(RECENT_TURNS)
            .limit(1)
            .scalar()
        )
        if start is None:
            return rows.order_by(event.id).all()
        # For a slot event Rasa stores the slot's name in action_name.
        latest_slots = (
            rows.filter(event.type_name == "slot", event.id < start)
            .with_entities(sa.func.max(event.id))
            .group_by(event.action_name)
            .subquery()
        )
        state = sa.and_(event.type_name.in_(STATE_EVENTS), event.type_name != "slot")
        return (
            rows.filter(
                sa.or_(event.id >= start, state, event.id.in_(sa.select(latest_slots.c[0])))
            )
            .order_by(event.id)
            .all()
        )

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events added since the tracker was loaded (Rasa counts the stored events of
        the session, which does not fit a tracker loaded in part)."""
        loaded = getattr(tracker, _LOADED, None)
        if loaded is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, loaded, len(tracker.events))


class RetryingRedisLockStore(RedisLockStore):
    """RedisLockStore whose client reconnects and retries a command (up to about 2 s), and
    whose ticket changes are atomic.

    Rasa reads a conversation's ticket lock, changes it and writes it back, with nothing
    in between to stop another worker doing the same: two first messages of a conversation
    arriving at two workers at once both got ticket 0, were handled at the same time, and
    one of them was lost when both trackers were saved. Here every such read-change-write
    holds Redis's own lock (SET NX with expiry) for that conversation.
    """

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        import redis
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        pool = self.red.connection_pool
        options = dict(
            pool.connection_kwargs,
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=5),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError],
        )
        self.red.close()
        self.red = redis.StrictRedis(
            connection_pool=redis.ConnectionPool(connection_class=pool.connection_class, **options)
        )

    def _mutex(self, conversation_id: str) -> Any:
        return self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex", timeout=5, blocking_timeout=10, sleep=0.005
        )

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
