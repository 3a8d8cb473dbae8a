"""The tracker store loads a long conversation in part, and loses nothing by it.

On SQLite and on this machine's PostgreSQL: the slots and the states the policies see are
the same as with Rasa's full load, saving after a partial load adds exactly the new
events, and the full conversation stays readable.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.stores import RECENT_TURNS, CheckedSQLTrackerStore, RetryingRedisLockStore
from tests.databases import postgres_url, require_redis
from tests.event_loop import ticks_during

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, occupation_prospects, goodbye]
entities: [occupation]
slots:
  occupation:
    type: text
    mappings: [{type: from_entity, entity: occupation}]
  user_group:
    type: categorical
    values: [scholier, werkende]
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "Hallo"}]
actions: [action_answer_topic]
"""
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> CheckedSQLTrackerStore:
    if request.param == "sqlite":
        return CheckedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    url = make_url(postgres_url())
    return CheckedSQLTrackerStore(
        domain=DOMAIN,
        dialect="postgresql",
        host=url.host,
        port=url.port or 5432,
        db=url.database,
        username=url.username,
    )


def _turn(i: int) -> list:
    events = [
        UserUttered(f"bericht {i}", intent={"name": "occupation_prospects", "confidence": 1}),
        ActionExecuted("action_answer_topic"),
        BotUttered(f"antwoord {i}"),
    ]
    if i % 3 == 0:
        events.append(SlotSet("occupation", f"beroep {i}"))
    if i == 5:
        events.append(SlotSet("user_group", "scholier"))
    events.append(ActionExecuted("action_listen"))
    return events


def _conversation(sender: str, turns: int) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update_with_events(
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        DOMAIN,
    )
    for i in range(turns):
        tracker.update_with_events(_turn(i), DOMAIN)
    return tracker


def test_a_long_conversation_is_loaded_in_part_with_the_same_state(store):
    sender = uuid.uuid4().hex
    asyncio.run(store.save(_conversation(sender, 60)))

    full = asyncio.run(SQLTrackerStore.retrieve(store, sender))
    recent = asyncio.run(store.retrieve(sender))

    assert len(recent.events) < len(full.events) / 3
    assert recent.current_slot_values() == full.current_slot_values()
    assert recent.get_slot("user_group") == "scholier"  # set in turn 5, long before
    assert recent.get_slot("occupation") == "beroep 57"
    assert recent.past_states(DOMAIN)[-6:] == full.past_states(DOMAIN)[-6:]
    users = [e.text for e in recent.events if isinstance(e, UserUttered)]
    assert users[-RECENT_TURNS:] == [f"bericht {i}" for i in range(60 - RECENT_TURNS, 60)]


def test_saving_after_a_partial_load_adds_exactly_the_new_events(store):
    sender = uuid.uuid4().hex
    asyncio.run(store.save(_conversation(sender, 40)))
    recent = asyncio.run(store.retrieve(sender))
    recent.update_with_events(_turn(40), DOMAIN)
    recent.update(ConversationPaused())
    asyncio.run(store.save(recent))

    full = asyncio.run(store.retrieve_full_tracker(sender))
    assert len(full.events) == len(_conversation(sender, 41).events) + 1
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == [
        f"bericht {i}" for i in range(41)
    ]
    again = asyncio.run(store.retrieve(sender))
    assert again.is_paused()  # state after the window is kept
    assert again.get_slot("user_group") == "scholier"


def test_a_short_conversation_is_loaded_whole(store):
    sender = uuid.uuid4().hex
    asyncio.run(store.save(_conversation(sender, 4)))
    full = asyncio.run(SQLTrackerStore.retrieve(store, sender))
    recent = asyncio.run(store.retrieve(sender))
    assert [e.as_dict() for e in recent.events] == [e.as_dict() for e in full.events]


def test_a_slow_database_leaves_the_event_loop_free(store, monkeypatch):
    """Loading and saving run in a worker thread: other conversations go on meanwhile."""
    import time

    sender = uuid.uuid4().hex
    slow_session = store.session_scope

    def slowed():
        time.sleep(0.3)  # a slow database, in whatever thread opens the session
        return slow_session()

    monkeypatch.setattr(store, "session_scope", slowed)
    ticks, _ = asyncio.run(ticks_during(store.save(_conversation(sender, 3))))
    assert ticks >= 10
    ticks, tracker = asyncio.run(ticks_during(store.retrieve(sender)))
    assert ticks >= 10
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)][-1] == "bericht 2"
    ticks, full = asyncio.run(ticks_during(store.retrieve_full_tracker(sender)))
    assert ticks >= 10
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == [
        f"bericht {i}" for i in range(3)
    ]


def _tickets_issued_at_once(store_class, conversation_id: str, workers: int = 8) -> list[int]:
    import threading

    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(url="127.0.0.1", port=6379, db=8, key_prefix="test")
    stores = [
        store_class(config) if store_class is RetryingRedisLockStore
        else store_class(host="127.0.0.1", port=6379, db=8, key_prefix="test")
        for _ in range(workers)
    ]  # fmt: skip
    start, tickets = threading.Barrier(workers), []

    def issue(store) -> None:
        start.wait()
        tickets.append(store.issue_ticket(conversation_id))

    threads = [threading.Thread(target=issue, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tickets


def test_workers_issuing_tickets_at_once_get_different_ones():
    """Rasa's own RedisLockStore can hand the same ticket to two workers; ours cannot."""
    require_redis()
    for _ in range(5):
        tickets = _tickets_issued_at_once(RetryingRedisLockStore, uuid.uuid4().hex)
        assert sorted(tickets) == list(range(8))
