"""'Bedoel je ...?' when unsure, and the violence line first."""

from rasa_sdk.events import SlotSet

from actions.crisis import ActionCrisisResponse
from actions.fallback import ActionHandleFallback
from tests.actions.conftest import load_tracker, responses

DOMAIN = {
    "responses": {
        "utter_label_study_grant": [{"text": "Studietoelage of schooltoeslag"}],
        "utter_label_study_choice_higher": [
            {
                "text": "Study after secondary school",
                "condition": [{"type": "slot", "name": "language", "value": "en"}],
            },
            {"text": "Verder studeren na het secundair"},
        ],
        "utter_label_something_else": [{"text": "Iets anders"}],
        "utter_label_ask_human": [{"text": "Praat met een mens"}],
    }
}


async def test_unsure_offers_the_likely_questions_something_else_and_a_human(dispatcher):
    tracker = load_tracker("unsure_between_two_questions")
    events = await ActionHandleFallback().run(dispatcher, tracker, DOMAIN)
    assert events == []
    assert responses(dispatcher) == ["utter_did_you_mean"]
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Studietoelage of schooltoeslag", "payload": "/study_grant"},
        {"title": "Verder studeren na het secundair", "payload": "/study_choice_higher"},
        {"title": "Iets anders", "payload": "/something_else"},
        {"title": "Praat met een mens", "payload": "/ask_human"},
    ]


async def test_the_offer_speaks_the_conversations_language(dispatcher):
    tracker = load_tracker("unsure_between_two_questions", language="en")
    await ActionHandleFallback().run(dispatcher, tracker, DOMAIN)
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert "Study after secondary school" in titles


async def test_nothing_likely_says_what_the_assistant_can_do(dispatcher):
    tracker = load_tracker("first_fallback")
    assert await ActionHandleFallback().run(dispatcher, tracker, DOMAIN) == []
    assert responses(dispatcher) == ["utter_default"]


async def test_violence_at_home_gets_1712_first_and_the_urgent_queue(dispatcher, domain):
    tracker = load_tracker("child_tells_of_violence_at_home")
    events = await ActionCrisisResponse().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[:2] == ["utter_crisis_lines_violence", "utter_crisis_followup"]
    assert events[:3] == [
        SlotSet("crisis", True),
        SlotSet("topic", None),
        SlotSet("handoff_priority", "crisis"),
    ]
