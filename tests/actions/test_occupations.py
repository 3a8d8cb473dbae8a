from rasa_sdk.events import SlotSet

from actions.topics import ActionAnswerTopic
from tests.actions.conftest import load_tracker, responses


async def test_shortage_answer_names_the_vdab_title(dispatcher, domain):
    tracker = load_tracker("asks_if_lasser_is_a_shortage_occupation")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == ["utter_occupation_is_shortage", "utter_occupation_where_jobs"]
    assert dispatcher.messages[0]["title"] == "Manueel lasser"
    assert dispatcher.messages[0]["sector"] == "Industriële beroepen en ambachten"


async def test_sector_question_lists_the_sector(dispatcher, domain):
    tracker = load_tracker("asks_for_jobs_in_the_hospitality_sector")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == ["utter_sector_shortages"]
    message = dispatcher.messages[0]
    assert message["heading"] == "Horecaberoepen"
    assert "Kok" in message["titles"].split(", ")
    assert message["count"] == len(message["titles"].split(", "))


async def test_unknown_occupation_is_said_honestly(dispatcher, domain):
    tracker = load_tracker("asks_what_a_zeewolf_does")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == ["utter_occupation_not_found"]
    assert dispatcher.messages[0]["typed"] == "zeewolf"


async def test_store_down_gives_a_friendly_answer_and_the_human_route(
    dispatcher, domain, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent-dir/knowledge.db")
    tracker = load_tracker("asks_what_a_cook_does")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == ["utter_knowledge_unavailable"]


async def test_wage_question_says_honestly_that_no_figures_ship(dispatcher, domain):
    tracker = load_tracker("asks_what_a_cook_earns")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == ["utter_occupation_no_figures"]
    assert dispatcher.messages[0]["label"] == "kok"


async def test_education_question_points_to_the_route(dispatcher, domain):
    tracker = load_tracker("asks_how_to_become_a_cook")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", None)]
    assert responses(dispatcher) == ["utter_occupation_education_route"]
    assert dispatcher.messages[0]["label"] == "kok"
