from rasa_sdk.events import SlotSet

from actions.crisis import ActionCrisisCheckIn, ActionCrisisResponse
from actions.fallback import ActionHandleFallback
from tests.actions.conftest import load_tracker, responses


async def test_crisis_lines_come_first_and_the_conversation_is_flagged(dispatcher):
    tracker = load_tracker("crisis_message")
    events = await ActionCrisisResponse().run(dispatcher, tracker, {})
    assert responses(dispatcher)[0] == "utter_crisis_lines"
    assert SlotSet("crisis", True) in events
    assert SlotSet("handoff_priority", "crisis") in events
    assert SlotSet("topic", None) in events
    # Queued at once, urgent: nobody is online in this test, and the person is told so.
    assert responses(dispatcher)[1:4] == [
        "utter_crisis_followup",
        "utter_handoff_nobody_online",
        "utter_handoff_queued",
    ]
    assert SlotSet("handoff_status", "queued") in events


async def test_check_in_keeps_the_likely_question_waiting(dispatcher):
    tracker = load_tracker("classifier_only_crisis_guess")
    events = await ActionCrisisCheckIn().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_crisis_check_in"]
    assert events == [SlotSet("topic", "career_guidance")]


async def test_second_miss_in_a_row_hands_over_to_a_human(dispatcher):
    tracker = load_tracker("second_fallback_in_a_row")
    events = await ActionHandleFallback().run(dispatcher, tracker, {})
    assert responses(dispatcher)[0] == "utter_default_again"
    assert "utter_handoff_queued" in responses(dispatcher)
    assert SlotSet("handoff_priority", "normal") in events
    assert SlotSet("handoff_status", "queued") in events


async def test_occupation_named_after_the_question_is_an_answer_not_a_miss(dispatcher):
    tracker = load_tracker("occupation_named_after_fallback")
    await ActionHandleFallback().run(dispatcher, tracker, {})
    assert responses(dispatcher)[0] == "utter_occupation_description"
    assert "utter_occupation_is_shortage" in responses(dispatcher)
