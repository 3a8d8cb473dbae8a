import pytest
from rasa_sdk.events import SlotSet

from actions.topics import ActionAnswerTopic
from tests.actions.conftest import load_tracker, responses


async def test_group_dependent_question_asks_the_group_once(dispatcher):
    tracker = load_tracker("pupil_asks_study_choice_group_unknown")
    events = await ActionAnswerTopic().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_ask_user_group"]
    assert SlotSet("topic", "study_choice_higher") in events
    assert SlotSet("group_asked", True) in events


async def test_the_waiting_question_is_answered_after_the_group(dispatcher):
    tracker = load_tracker("pupil_answers_group_question")
    events = await ActionAnswerTopic().run(dispatcher, tracker, {})
    assert responses(dispatcher)[0] == "utter_study_choice_higher"
    assert responses(dispatcher)[1] == "utter_signposting_intro"
    assert SlotSet("topic", None) in events


async def test_declining_still_gets_a_general_answer(dispatcher):
    tracker = load_tracker("person_declines_group_question")
    events = await ActionAnswerTopic().run(dispatcher, tracker, {})
    assert responses(dispatcher)[:2] == ["utter_no_problem_general", "utter_find_work"]
    assert SlotSet("topic", None) in events


async def test_occupation_question_without_occupation_asks_which(dispatcher):
    tracker = load_tracker("occupation_question_without_occupation")
    events = await ActionAnswerTopic().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_ask_occupation"]
    assert events == [SlotSet("topic", "occupation_info")]


def _tracker_for(intent: str, user_group: str | None, signposted: list[str] | None = None):
    tracker = load_tracker("pupil_answers_group_question")
    tracker.slots.update(
        {"user_group": user_group, "topic": None, "group_asked": True, "signposted": signposted}
    )
    tracker.latest_message = {
        "text": "ik wil iets anders doen",
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [],
        "intent_ranking": [],
    }
    return tracker


def _cards(dispatcher) -> list[dict]:
    return [m for m in dispatcher.messages if m["response"] == "utter_service_card"]


@pytest.mark.parametrize(
    ("group", "first_service"),
    [
        ("scholier", "CLB (Centrum voor Leerlingenbegeleiding)"),
        ("werkende", "Loopbaancentrum (met loopbaancheques)"),
        ("migratieachtergrond", "VDAB"),
    ],
)
async def test_same_question_signposts_per_user_group(dispatcher, group, first_service):
    events = await ActionAnswerTopic().run(dispatcher, _tracker_for("career_guidance", group), {})
    cards = _cards(dispatcher)
    assert 1 <= len(cards) <= 3
    assert cards[0]["name"] == first_service
    # How to reach them and where it comes from, both from the store.
    assert cards[0]["details"] and cards[0]["source"] and cards[0]["as_of"]
    shown = next(e for e in events if e["name"] == "signposted")["value"]
    assert len(shown) == len(cards)


async def test_loopbaancheque_facts_come_with_their_date(dispatcher):
    await ActionAnswerTopic().run(dispatcher, _tracker_for("career_guidance", "werkende"), {})
    facts = [m for m in dispatcher.messages if m["response"] == "utter_dated_fact"]
    assert any("45 euro" in f["text"] and f["as_of"] == "09/2024" for f in facts)


async def test_signposted_services_accumulate_for_the_summary(dispatcher):
    tracker = _tracker_for("learn_dutch", "migratieachtergrond", signposted=["naric"])
    events = await ActionAnswerTopic().run(dispatcher, tracker, {})
    shown = next(e for e in events if e["name"] == "signposted")["value"]
    assert shown[0] == "naric" and "huis_van_het_nederlands" in shown


async def test_opening_hours_are_a_dated_fact_from_the_store(dispatcher):
    await ActionAnswerTopic().run(dispatcher, _tracker_for("service_info", None), {})
    assert responses(dispatcher) == ["utter_service_info", "utter_dated_fact"]
    assert "17 tot 21 uur" in dispatcher.messages[1]["text"]
    assert dispatcher.messages[1]["source"] == "CLB Ch@t"


async def test_store_down_still_answers_and_offers_a_human(dispatcher, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent-dir/knowledge.db")
    events = await ActionAnswerTopic().run(dispatcher, _tracker_for("find_work", "werkende"), {})
    assert responses(dispatcher) == ["utter_find_work", "utter_knowledge_unavailable"]
    assert SlotSet("topic", None) in events
