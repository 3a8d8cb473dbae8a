import datetime as dt

from rasa_sdk.events import SlotSet

from actions.handoff import ActionLeaveQueue, ActionRateConversation, ActionRequestHuman
from database import handoff_sessions
from handoff.models import Conversation
from handoff.queue import waiting
from tests.actions.conftest import load_tracker, responses


def _tracker(sender: str, intent: str = "ask_human", entities=None, slots=None):
    tracker = load_tracker("crisis_message")
    tracker.sender_id = sender
    tracker.slots.update({"crisis": False, "handoff_priority": None, **(slots or {})})
    tracker.latest_message = {
        "text": "ik wil met iemand praten",
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "intent_ranking": [],
    }
    tracker.events = [
        {"event": "user", "text": "ik zoek werk", "parse_data": {"intent": {"name": "find_work"}}},
        {"event": "user", "text": "mens", "parse_data": {"intent": {"name": "ask_human"}}},
    ]
    return tracker


async def test_asking_for_a_human_queues_with_place_and_summary(dispatcher):
    events = await ActionRequestHuman().run(dispatcher, _tracker("p" * 22), {})
    assert responses(dispatcher)[:2] == ["utter_handoff_nobody_online", "utter_handoff_queued"]
    queued = dispatcher.messages[1]
    assert queued["position"] == 1 and queued["minutes"] >= 1
    status = dispatcher.messages[2]["custom"]["signal"]
    assert status == {
        "type": "status",
        "status": "queued",
        "position": 1,
        "minutes": queued["minutes"],
    }
    assert SlotSet("handoff_status", "queued") in events
    with handoff_sessions()() as session:
        row = waiting(session)[0]
    assert row.id == "p" * 22 and row.user_group == "scholier"
    assert row.summary["asked"] == ["find_work"]


async def test_second_person_is_number_two(dispatcher):
    await ActionRequestHuman().run(dispatcher, _tracker("p" * 22), {})
    dispatcher.messages.clear()
    await ActionRequestHuman().run(dispatcher, _tracker("q" * 22), {})
    assert dispatcher.messages[1]["position"] == 2


async def test_outside_opening_hours_says_when_and_does_not_queue(dispatcher, opening_hours_file):
    tomorrow = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)).date()
    opening_hours_file.write_text(
        f"weekly: {{}}\nexceptions:\n  {tomorrow.isoformat()}: ['09:00-12:00']\n", encoding="utf-8"
    )
    events = await ActionRequestHuman().run(dispatcher, _tracker("c" * 22), {})
    assert responses(dispatcher) == ["utter_handoff_closed"]
    message = dispatcher.messages[0]
    assert message["time"] == "09.00" and message["date"] == f"{tomorrow.day}/{tomorrow.month}"
    assert SlotSet("handoff_status", "queued") not in events
    with handoff_sessions()() as session:
        assert waiting(session) == []


async def test_leaving_the_queue(dispatcher):
    await ActionRequestHuman().run(dispatcher, _tracker("l" * 22), {})
    dispatcher.messages.clear()
    events = await ActionLeaveQueue().run(dispatcher, _tracker("l" * 22, "leave_queue"), {})
    assert responses(dispatcher)[0] == "utter_handoff_left"
    assert events == [SlotSet("handoff_status", None)]
    with handoff_sessions()() as session:
        assert waiting(session) == []


async def test_rating_is_kept_and_nonsense_ignored(dispatcher):
    await ActionRequestHuman().run(dispatcher, _tracker("r" * 22), {})
    rating = [{"entity": "rating", "value": "4"}]
    await ActionRateConversation().run(
        dispatcher, _tracker("r" * 22, "rate_conversation", rating), {}
    )
    assert responses(dispatcher)[-1] == "utter_thanks_for_rating"
    with handoff_sessions()() as session:
        assert session.get(Conversation, "r" * 22).rating == 4
    bad = [{"entity": "rating", "value": "99"}]
    await ActionRateConversation().run(dispatcher, _tracker("r" * 22, "rate_conversation", bad), {})
    assert responses(dispatcher)[-1] == "utter_how_can_i_help"


async def test_handoff_store_down_keeps_the_chat_going(dispatcher, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent-dir/knowledge.db")
    events = await ActionRequestHuman().run(dispatcher, _tracker("d" * 22), {})
    assert responses(dispatcher) == ["utter_handoff_unavailable"]
    assert events == [SlotSet("handoff_priority", "normal")]
