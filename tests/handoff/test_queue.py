import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from handoff import accounts
from handoff.models import AuditEntry, Conversation
from handoff.queue import (
    claim,
    end,
    enqueue,
    handling_minutes,
    leave_queue,
    note_bot_progress,
    places,
    record_activity,
    waiting,
)

T0 = dt.datetime(2026, 11, 23, 17, 0)


def _enqueue(sessions, conversation_id, minutes_after, priority="normal"):
    with sessions.begin() as session:
        enqueue(
            session, conversation_id, "widget", priority, "scholier", "study_choice_higher",
            {"asked": ["study_choice_higher"]}, T0 + dt.timedelta(minutes=minutes_after),
        )  # fmt: skip


def test_crisis_first_then_longest_wait(sessions):
    _enqueue(sessions, "a" * 20, 0)
    _enqueue(sessions, "b" * 20, 1)
    _enqueue(sessions, "c" * 20, 2, priority="crisis")
    with sessions() as session:
        assert [row.id[0] for row in waiting(session)] == ["c", "a", "b"]
        place = places(session, counsellors_online=1)
    assert place["c" * 20].position == 1 and place["b" * 20].position == 3
    assert place["b" * 20].minutes > place["c" * 20].minutes


def test_asking_again_keeps_the_place_and_crisis_never_drops(sessions):
    _enqueue(sessions, "a" * 20, 0, priority="crisis")
    _enqueue(sessions, "b" * 20, 1)
    _enqueue(sessions, "a" * 20, 5, priority="normal")
    with sessions() as session:
        first = waiting(session)[0]
    assert first.id == "a" * 20 and first.priority == "crisis" and first.queued_at == T0


def test_estimate_learns_from_recent_handling_times(sessions):
    with sessions.begin() as session:
        counsellor = accounts.set_counsellor(session, "an", "een lang wachtwoord")
    for i, minutes in enumerate((20, 40)):
        cid = f"done{i}".ljust(20, "x")
        _enqueue(sessions, cid, 0)
        with sessions.begin() as session:
            assert claim(session, cid, counsellor.id, T0)
            end(session, cid, counsellor.id, "close", T0 + dt.timedelta(minutes=minutes))
    with sessions() as session:
        assert handling_minutes(session) == 30


def test_exactly_one_of_many_concurrent_claims_wins(sessions):
    with sessions.begin() as session:
        ids = [
            accounts.set_counsellor(session, f"c{i}", "een lang wachtwoord").id for i in range(8)
        ]
    _enqueue(sessions, "r" * 20, 0)

    def try_claim(counsellor_id: int) -> bool:
        with sessions.begin() as session:
            return claim(session, "r" * 20, counsellor_id)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(try_claim, ids))
    assert results.count(True) == 1
    with sessions() as session:
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "claim")).all()
        row = session.get(Conversation, "r" * 20)
    assert len(audits) == 1 and row.status == "with_counsellor"
    assert row.claimed_by == ids[results.index(True)]


def test_leaving_the_queue_and_handing_back(sessions):
    _enqueue(sessions, "l" * 20, 0)
    with sessions.begin() as session:
        assert leave_queue(session, "l" * 20)
        assert not leave_queue(session, "l" * 20)
        assert waiting(session) == []
        counsellor = accounts.set_counsellor(session, "bo", "een lang wachtwoord")
    with sessions.begin() as session:
        assert claim(session, "l" * 20, counsellor.id)  # from the live view of bot conversations
        assert end(session, "l" * 20, counsellor.id, "handback")
        assert session.get(Conversation, "l" * 20).status == "bot"
        assert not end(session, "l" * 20, counsellor.id, "handback")
    with sessions() as session:
        actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["claim", "handback"]


def test_quick_handbacks_do_not_make_a_long_queue_look_short(sessions):
    """31 people ahead, one counsellor, and recent conversations handed back within
    seconds: the estimate was "1 min"."""
    with sessions.begin() as session:
        counsellor = accounts.set_counsellor(session, "an", "een lang wachtwoord")
    spans = [dt.timedelta(seconds=10)] * 5 + [dt.timedelta(minutes=m) for m in (25, 30, 400)]
    for i, span in enumerate(spans):
        cid = f"done{i}".ljust(20, "x")
        _enqueue(sessions, cid, 0)
        with sessions.begin() as session:
            assert claim(session, cid, counsellor.id, T0)
            end(session, cid, counsellor.id, "handback", T0 + span)
    for i in range(32):
        _enqueue(sessions, f"wait{i:02}".ljust(20, "x"), 10 + i)
    with sessions() as session:
        assert handling_minutes(session) == 30  # the median of the real ones
        last = places(session, counsellors_online=1)["wait31".ljust(20, "x")]
    assert last.position == 32 and last.minutes == 31 * 30


def test_free_chat_places_are_taken_at_once_then_the_wait_counts_all_places(sessions):
    """Two counsellors online, one of them busy: the first waiting person gets the free
    place now; the others wait a round of handling time over both places each."""
    with sessions.begin() as session:
        counsellor = accounts.set_counsellor(session, "an", "een lang wachtwoord")
    _enqueue(sessions, "held".ljust(20, "x"), 0)
    with sessions.begin() as session:
        assert claim(session, "held".ljust(20, "x"), counsellor.id, T0)
    for i in range(3):
        _enqueue(sessions, f"wait{i}".ljust(20, "x"), 1 + i)
    with sessions() as session:
        minutes = [p.minutes for p in sorted(places(session, 2).values(), key=lambda p: p.position)]
        assert minutes == [1, 5, 10]  # 10 minutes until anything was handled, 2 places
        # Three places each (several chats): every one of them is free now.
        assert {p.minutes for p in places(session, 2, chats_per_counsellor=3).values()} == {1}


def test_the_live_view_keeps_the_bots_crisis_flag(sessions):
    with sessions.begin() as session:
        record_activity(session, "night".ljust(20, "x"), "widget", T0)
        note_bot_progress(session, "night".ljust(20, "x"), "scholier", None, {}, crisis=True)
    with sessions.begin() as session:
        note_bot_progress(session, "night".ljust(20, "x"), "scholier", "find_work", {})
    with sessions() as session:
        row = session.get(Conversation, "night".ljust(20, "x"))
        assert row.crisis and row.status == "bot" and row.topic == "find_work"


def test_with_nobody_online_first_in_line_is_not_told_a_minute(sessions):
    """Nobody free to answer: the first waits one handling time, as for one counsellor."""
    _enqueue(sessions, "first".ljust(20, "x"), 0)
    with sessions() as session:
        assert places(session, counsellors_online=0)["first".ljust(20, "x")].minutes == 10
