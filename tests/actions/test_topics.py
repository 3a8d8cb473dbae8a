import pytest
from rasa_sdk.events import SlotSet

from actions.topics import ActionAnswerTopic
from handoff.models import Conversation
from handoff.queue import record_activity
from tests.actions.conftest import load_tracker, responses

THREE_CARDS = ["utter_signposting_intro", *["utter_service_card"] * 3]


async def test_group_dependent_question_answers_first_then_offers_the_group_once(
    dispatcher, domain
):
    tracker = load_tracker("pupil_asks_study_choice_group_unknown")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("topic", "study_choice_higher"),
        SlotSet("group_asked", True),
        SlotSet("signposted", ["onderwijskiezer", "leerwinkel", "clb"]),
    ]
    assert responses(dispatcher) == [
        "utter_study_choice_higher",
        *THREE_CARDS,
        "utter_offer_user_group",
    ]


async def test_the_waiting_question_is_answered_after_the_group(dispatcher, domain):
    tracker = load_tracker("pupil_answers_group_question")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("topic", None),
        SlotSet("signposted", ["columbus", "sid_ins", "hogeronderwijsregister"]),
    ]
    assert responses(dispatcher) == ["utter_study_choice_higher", *THREE_CARDS]


async def test_declining_the_offer_keeps_the_general_answer_already_given(dispatcher, domain):
    tracker = load_tracker("person_declines_group_question")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == ["utter_no_problem_general"]


async def test_occupation_question_without_occupation_asks_which(dispatcher, domain):
    tracker = load_tracker("occupation_question_without_occupation")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", "occupation_info")]
    assert responses(dispatcher) == ["utter_ask_occupation"]


def _cards(dispatcher) -> list[dict]:
    return [m for m in dispatcher.messages if m["response"] == "utter_service_card"]


@pytest.mark.parametrize(
    ("group", "shown", "first_service"),
    [
        ("scholier", ["clb", "onderwijskiezer"], "CLB (Centrum voor Leerlingenbegeleiding)"),
        (
            "werkende",
            ["loopbaancentrum", "mijn_loopbaan", "vdab"],
            "Loopbaancentrum (met loopbaancheques)",
        ),
        ("migratieachtergrond", ["vdab"], "VDAB"),
    ],
)
async def test_same_question_signposts_per_user_group(
    dispatcher, domain, group, shown, first_service
):
    tracker = load_tracker("asks_for_career_guidance", user_group=group)
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None), SlotSet("signposted", shown)]
    assert dispatcher.messages[0]["response"] == "utter_career_guidance"
    assert dispatcher.messages[1]["response"] == "utter_signposting_intro"
    cards = _cards(dispatcher)
    assert len(cards) == len(shown)
    assert dispatcher.messages[2] == cards[0] and cards[0]["name"] == first_service
    # How to reach them and where it comes from, both from the store.
    assert cards[0]["details"] and cards[0]["source"] and cards[0]["as_of"]


async def test_loopbaancheque_facts_come_with_their_date(dispatcher, domain):
    tracker = load_tracker("asks_for_career_guidance", user_group="werkende")
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[2:5] == [
        "utter_service_card",
        "utter_dated_fact",
        "utter_dated_fact",
    ]
    facts = dispatcher.messages[3:5]
    assert any("45 euro" in f["text"] and f["as_of"] == "09/2024" for f in facts)


async def test_signposted_services_accumulate_for_the_summary(dispatcher, domain):
    tracker = load_tracker("newcomer_asks_to_learn_dutch")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("topic", None),
        SlotSet("signposted", ["naric", "ligo", "huis_van_het_nederlands"]),
    ]
    assert dispatcher.messages[0]["response"] == "utter_learn_dutch"


async def test_opening_hours_are_a_dated_fact_from_the_store(dispatcher, domain):
    tracker = load_tracker("asks_when_the_chat_is_open")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == ["utter_service_info", "utter_dated_fact"]
    assert "17 tot 21 uur" in dispatcher.messages[1]["text"]
    assert dispatcher.messages[1]["source"] == "CLB Ch@t"


async def test_store_down_still_answers_and_offers_a_human(dispatcher, domain, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent-dir/knowledge.db")
    tracker = load_tracker("worker_asks_to_find_work")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == ["utter_find_work", "utter_knowledge_unavailable"]


async def test_a_school_rule_is_stated_from_the_store_with_its_source(dispatcher, domain):
    tracker = load_tracker("student_asks_about_learning_credit")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[:5] == [
        "utter_learning_credit",
        "utter_dated_fact",
        "utter_dated_fact",
        "utter_dated_fact",
        "utter_dated_fact",
    ]
    first = dispatcher.messages[1]
    assert "140 studiepunten" in first["text"]
    assert first["source"] == "onderwijskiezer.be, leerkrediet"
    assert events[0] == SlotSet("topic", None)
    assert "studieloopbaanbegeleiding" in events[1]["value"]


async def test_an_answer_tells_the_console_the_group_and_question(
    dispatcher, domain, handoff_sessions
):
    """The live view of bot conversations showed "groep onbekend · nog geen vraag" after
    the bot had set the group and answered."""
    tracker = load_tracker("pupil_answers_group_question")
    with handoff_sessions.begin() as session:
        record_activity(session, tracker.sender_id, "widget")
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    with handoff_sessions() as session:
        row = session.get(Conversation, tracker.sender_id)
        assert row.status == "bot"
        assert (row.user_group, row.topic) == ("scholier", "study_choice_higher")
        assert row.summary["language"] == "nl"


async def test_an_answer_after_a_crisis_keeps_the_crisis_flag_in_the_live_view(
    dispatcher, domain, handoff_sessions
):
    """The bot answers on after a crisis outside opening hours: a supervisor watching the
    live view must still see the crisis."""
    tracker = load_tracker("pupil_answers_group_question", crisis=True)
    with handoff_sessions.begin() as session:
        record_activity(session, tracker.sender_id, "widget")
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    with handoff_sessions() as session:
        row = session.get(Conversation, tracker.sender_id)
        assert row.crisis and row.topic == "study_choice_higher"
