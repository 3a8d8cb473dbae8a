import datetime as dt

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import func, insert, inspect, select

import database
from handoff.accounts import set_counsellor
from handoff.models import Conversation, Note
from handoff.queue import enqueue
from privacy.retention import erase_conversation, purge
from tests.databases import database_url, fresh_handoff_store

EVENTS = SQLTrackerStore.SQLEvent.__table__
NOW = dt.datetime(2026, 11, 22, 12, 0)


def _epoch(moment: dt.datetime) -> float:
    """Naive UTC, as in the handoff store, to the epoch seconds Rasa stores."""
    return moment.replace(tzinfo=dt.timezone.utc).timestamp()


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request, tmp_path_factory):
    url = database_url(request.param, tmp_path_factory)
    fresh_handoff_store(url)
    tracker, handoff = database.create_engine(url), database.create_engine(url)
    EVENTS.metadata.drop_all(tracker)
    EVENTS.metadata.create_all(tracker)
    yield url, tracker, handoff
    tracker.dispose()
    handoff.dispose()
    database.dispose_engines()  # the ones purge and erase looked up


def _conversation(tracker, handoff, conversation_id: str, days_ago: int) -> None:
    when = NOW - dt.timedelta(days=days_ago)
    with tracker.begin() as conn:
        for i in range(3):
            conn.execute(
                insert(EVENTS).values(
                    sender_id=conversation_id,
                    type_name="user",
                    data="{}",
                    timestamp=_epoch(when + dt.timedelta(seconds=i)),
                )
            )
    with database.session_factory(handoff).begin() as session:
        counsellor = set_counsellor(session, "an-" + conversation_id, "een lang wachtwoord")
        enqueue(session, conversation_id, "widget", "normal", None, None, {}, when)
        session.flush()
        session.add(
            Note(
                conversation_id=conversation_id,
                counsellor_id=counsellor.id,
                text="notitie",
                created_at=when,
            )
        )


def _count(engine, table, **where) -> int:
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def test_purge_deletes_only_conversations_past_the_retention_period(stores):
    url, tracker, handoff = stores
    _conversation(tracker, handoff, "old" * 8, days_ago=45)
    _conversation(tracker, handoff, "new" * 8, days_ago=2)
    report = purge(url, url, days=30, now=NOW)
    assert report.tracker_events == 3 and report.notes == 1
    assert _count(tracker, EVENTS, sender_id="old" * 8) == 0
    assert _count(tracker, EVENTS, sender_id="new" * 8) == 3
    assert _count(handoff, Conversation.__table__) == 1
    assert _count(handoff, Note.__table__) == 1


def test_a_person_can_erase_their_own_conversation(stores):
    url, tracker, handoff = stores
    _conversation(tracker, handoff, "mine" * 6, days_ago=0)
    _conversation(tracker, handoff, "other" * 5, days_ago=0)
    erase_conversation(url, url, "mine" * 6)
    assert _count(tracker, EVENTS, sender_id="mine" * 6) == 0
    assert _count(tracker, EVENTS, sender_id="other" * 5) == 3
    assert _count(handoff, Conversation.__table__, id="mine" * 6) == 0


def test_purge_before_rasa_created_its_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    report = purge(url, url, days=30, now=NOW)
    assert report.tracker_events == 0 and report.conversations == 0
    database.dispose_engines()


def test_erasing_before_anything_was_stored_deletes_nothing_and_migrates_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    report = erase_conversation(url, url, "new" * 8)
    assert (report.tracker_events, report.notes, report.audit_entries) == (0, 0, 0)
    with database.opened(url) as engine:
        assert inspect(engine).get_table_names() == []
    database.dispose_engines()


def test_purge_and_erase_remove_the_conversations_keys_in_redis(stores):
    """The scaled set-up, on this machine's Redis: a purged or erased conversation's keys
    (sealed chat id, button payloads) go; another conversation's stay."""
    import redis

    from privacy.shared_state import conversation_keys
    from tests.databases import require_redis

    require_redis()
    redis_url = "redis://127.0.0.1:6379/6"
    url, tracker, handoff = stores
    old, new, mine = "old" * 8, "new" * 8, "mine" * 6
    _conversation(tracker, handoff, old, days_ago=45)
    _conversation(tracker, handoff, new, days_ago=2)
    _conversation(tracker, handoff, mine, days_ago=0)
    client = redis.Redis.from_url(redis_url)
    try:
        for conversation in (old, new, mine):
            for key in conversation_keys(conversation):
                client.set(key, "x", ex=600)
        report = purge(url, url, days=30, now=NOW, redis_url=redis_url)
        assert report.redis_keys == 2
        assert client.exists(*conversation_keys(old)) == 0
        assert client.exists(*conversation_keys(new), *conversation_keys(mine)) == 4
        assert erase_conversation(url, url, mine, redis_url).redis_keys == 2
        assert client.exists(*conversation_keys(mine)) == 0
        assert client.exists(*conversation_keys(new)) == 2
    finally:
        client.delete(*conversation_keys(new))
        client.close()
