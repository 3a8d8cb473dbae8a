from rasa_sdk.events import SlotSet

from actions.crisis import ActionCrisisCheckIn, ActionCrisisResponse
from actions.fallback import ActionHandleFallback
from tests.actions.conftest import load_tracker, responses

# Nobody is online in these tests: first in line still waits one handling time (10 minutes
# before any conversation was handled), not "1 min" with nobody there to answer.
QUEUED_FIRST = {"type": "status", "status": "queued", "position": 1, "minutes": 10}


async def test_crisis_lines_come_first_and_the_conversation_is_flagged(dispatcher, domain):
    events = await ActionCrisisResponse().run(dispatcher, load_tracker("crisis_message"), domain)
    assert events == [
        SlotSet("crisis", True),
        SlotSet("topic", None),
        SlotSet("handoff_priority", "crisis"),
        SlotSet("handoff_status", "queued"),
    ]
    # Queued at once, urgent: nobody is online in this test, and the person is told so.
    assert responses(dispatcher) == [
        "utter_crisis_lines",
        "utter_crisis_followup",
        "utter_handoff_nobody_online",
        "utter_handoff_queued_no_estimate",
        None,  # the widget's status signal
    ]
    assert dispatcher.messages[3]["position"] == 1
    assert dispatcher.messages[4]["custom"] == {"signal": QUEUED_FIRST}


async def test_check_in_keeps_the_likely_question_waiting(dispatcher, domain):
    tracker = load_tracker("classifier_only_crisis_guess")
    events = await ActionCrisisCheckIn().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", "career_guidance")]
    assert responses(dispatcher) == ["utter_crisis_check_in"]


async def test_second_miss_in_a_row_hands_over_to_a_human(dispatcher, domain):
    tracker = load_tracker("second_fallback_in_a_row")
    events = await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert events == [SlotSet("handoff_priority", "normal"), SlotSet("handoff_status", "queued")]
    assert responses(dispatcher) == [
        "utter_default_again",
        "utter_handoff_nobody_online",
        "utter_handoff_queued_no_estimate",
        None,
    ]
    assert dispatcher.messages[3]["custom"] == {"signal": QUEUED_FIRST}


async def test_a_first_miss_says_what_the_assistant_can_do(dispatcher, domain):
    events = await ActionHandleFallback().run(dispatcher, load_tracker("first_fallback"), domain)
    assert events == []
    assert responses(dispatcher) == ["utter_default"]


async def test_occupation_named_after_the_question_is_an_answer_not_a_miss(dispatcher, domain):
    tracker = load_tracker("occupation_named_after_fallback")
    events = await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == [
        "utter_occupation_description",
        "utter_occupation_is_shortage",
        "utter_shortage_exempt",
        "utter_occupation_where_jobs",
    ]
    assert dispatcher.messages[0]["label"] == "dakdekker"
    assert dispatcher.messages[1]["title"] == "Dakwerker"
