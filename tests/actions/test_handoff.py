import datetime as dt

from rasa_sdk.events import SlotSet

from actions.handoff import ActionLeaveQueue, ActionRateConversation, ActionRequestHuman
from handoff.models import Conversation
from handoff.queue import waiting
from tests.actions.conftest import load_tracker, responses

ASKING = "person-asks-for-a-human"
QUEUED = [SlotSet("handoff_priority", "normal"), SlotSet("handoff_status", "queued")]


async def test_asking_for_a_human_queues_with_place_and_summary(
    dispatcher, domain, handoff_sessions
):
    tracker = load_tracker("person_asks_for_a_human")
    events = await ActionRequestHuman().run(dispatcher, tracker, domain)
    assert events == QUEUED
    # nobody online: the place without a time, since nobody can say when someone comes
    assert responses(dispatcher) == [
        "utter_handoff_nobody_online",
        "utter_handoff_queued_no_estimate",
        None,
    ]
    queued = dispatcher.messages[1]
    assert queued["position"] == 1 and queued["minutes"] >= 1
    assert dispatcher.messages[2]["custom"] == {
        "signal": {
            "type": "status",
            "status": "queued",
            "position": 1,
            "minutes": queued["minutes"],
        }
    }
    with handoff_sessions() as session:
        row = waiting(session)[0]
    assert row.id == ASKING and row.user_group == "scholier"
    assert row.topic == "study_choice_higher" and row.priority == "normal"
    assert row.summary == {
        "language": "nl",
        "asked": ["find_work"],
        "signposted": [],
        "occupation": None,
    }


async def test_second_person_is_number_two(dispatcher, domain):
    await ActionRequestHuman().run(dispatcher, load_tracker("person_asks_for_a_human"), domain)
    dispatcher.messages.clear()
    second = load_tracker("person_asks_for_a_human", sender_id="second-person")
    events = await ActionRequestHuman().run(dispatcher, second, domain)
    assert events == QUEUED
    assert dispatcher.messages[1]["response"] == "utter_handoff_queued_no_estimate"
    assert dispatcher.messages[1]["position"] == 2


def _counsellor_online(handoff_sessions, username: str = "avonddienst") -> None:
    from handoff import accounts

    with handoff_sessions.begin() as session:
        counsellor = accounts.set_counsellor(session, username, "een lang wachtwoord")
        accounts.open_session(session, counsellor)


async def test_with_a_counsellor_online_the_place_comes_with_a_time(
    dispatcher, domain, handoff_sessions
):
    sessions = handoff_sessions
    _counsellor_online(sessions)
    await ActionRequestHuman().run(dispatcher, load_tracker("person_asks_for_a_human"), domain)
    assert responses(dispatcher) == ["utter_handoff_queued", None]
    assert dispatcher.messages[0]["minutes"] <= 60


async def test_a_wait_over_an_hour_is_said_as_more_than_an_hour(
    dispatcher, domain, handoff_sessions
):
    """One counsellor online and eight people ahead: ten minutes each before anything was
    handled, so the ninth waits over an hour and is not told a number of minutes."""
    sessions = handoff_sessions
    _counsellor_online(sessions)
    for i in range(8):
        ahead = load_tracker("person_asks_for_a_human", sender_id=f"ahead-{i}")
        await ActionRequestHuman().run(dispatcher, ahead, domain)
    dispatcher.messages.clear()
    ninth = load_tracker("person_asks_for_a_human", sender_id="ninth-person")
    await ActionRequestHuman().run(dispatcher, ninth, domain)
    assert responses(dispatcher) == ["utter_handoff_queued_long", None]
    assert dispatcher.messages[0]["position"] == 9 and dispatcher.messages[0]["minutes"] > 60


async def test_outside_opening_hours_says_when_and_does_not_queue(
    dispatcher, domain, opening_hours_file, handoff_sessions
):
    tomorrow = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)).date()
    opening_hours_file.write_text(
        f"weekly: {{}}\nexceptions:\n  {tomorrow.isoformat()}: ['09:00-12:00']\n", encoding="utf-8"
    )
    tracker = load_tracker("person_asks_for_a_human")
    events = await ActionRequestHuman().run(dispatcher, tracker, domain)
    assert events == [SlotSet("handoff_priority", "normal")]
    assert responses(dispatcher) == ["utter_handoff_closed"]
    message = dispatcher.messages[0]
    assert message["time"] == "09.00" and message["date"] == f"{tomorrow.day}/{tomorrow.month}"
    with handoff_sessions() as session:
        assert waiting(session) == []


async def test_leaving_the_queue(dispatcher, domain, handoff_sessions):
    await ActionRequestHuman().run(dispatcher, load_tracker("person_asks_for_a_human"), domain)
    dispatcher.messages.clear()
    events = await ActionLeaveQueue().run(
        dispatcher, load_tracker("person_leaves_the_queue"), domain
    )
    assert events == [SlotSet("handoff_status", None)]
    assert responses(dispatcher) == ["utter_handoff_left", None]
    assert dispatcher.messages[1]["custom"] == {
        "signal": {"type": "status", "status": "bot", "position": None, "minutes": None}
    }
    with handoff_sessions() as session:
        assert waiting(session) == []


async def test_leaving_when_not_waiting_just_goes_on(dispatcher, domain):
    events = await ActionLeaveQueue().run(
        dispatcher, load_tracker("person_leaves_the_queue"), domain
    )
    assert events == [SlotSet("handoff_status", None)]
    assert responses(dispatcher) == ["utter_how_can_i_help", None]


async def test_rating_is_kept_and_nonsense_ignored(dispatcher, domain, handoff_sessions):
    await ActionRequestHuman().run(dispatcher, load_tracker("person_asks_for_a_human"), domain)
    for state, answer in (
        ("person_rates_four_stars", "utter_thanks_for_rating"),
        ("person_rates_ninety_nine_stars", "utter_how_can_i_help"),  # the 4 stays
    ):
        dispatcher.messages.clear()
        events = await ActionRateConversation().run(dispatcher, load_tracker(state), domain)
        assert events == []
        assert responses(dispatcher) == [answer]
        with handoff_sessions() as session:
            assert session.get(Conversation, ASKING).rating == 4


async def test_handoff_store_down_keeps_the_chat_going(dispatcher, domain, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent-dir/knowledge.db")
    tracker = load_tracker("person_asks_for_a_human")
    events = await ActionRequestHuman().run(dispatcher, tracker, domain)
    assert events == [SlotSet("handoff_priority", "normal")]
    assert responses(dispatcher) == ["utter_handoff_unavailable"]

    dispatcher.messages.clear()
    events = await ActionLeaveQueue().run(
        dispatcher, load_tracker("person_leaves_the_queue"), domain
    )
    assert events == [SlotSet("handoff_status", None)]
    assert responses(dispatcher) == ["utter_how_can_i_help", None]

    dispatcher.messages.clear()
    tracker = load_tracker("person_rates_four_stars")
    assert await ActionRateConversation().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_thanks_for_rating"]


async def test_a_crisis_outside_opening_hours_shows_in_the_live_view(
    dispatcher, domain, opening_hours_file, handoff_sessions
):
    """Not queued (nobody would answer), but a supervisor watching the live view sees it,
    with the question asked before (the topic slot is cleared once it was answered)."""
    from actions.handoff import request_handoff
    from handoff.queue import record_activity

    opening_hours_file.write_text("weekly: {}\n", encoding="utf-8")
    tracker = load_tracker("person_asks_for_a_human", topic=None)
    with handoff_sessions.begin() as session:
        record_activity(session, tracker.sender_id, "widget")
    events = await request_handoff(dispatcher, tracker, "crisis")
    assert events == [SlotSet("handoff_priority", "crisis")]
    with handoff_sessions() as session:
        row = session.get(Conversation, tracker.sender_id)
        assert (row.status, row.crisis) == ("bot", True)
        assert (row.user_group, row.topic) == ("scholier", "find_work")
        assert waiting(session) == []
