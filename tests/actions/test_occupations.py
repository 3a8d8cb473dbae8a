from rasa_sdk import Tracker

from actions.topics import ActionAnswerTopic
from tests.actions.conftest import responses


def _tracker(text: str, intent: str, occupation: str | None, entities=None) -> Tracker:
    return Tracker(
        sender_id="test-occupation",
        slots={"user_group": None, "topic": None, "group_asked": False, "occupation": occupation},
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def test_shortage_answer_names_the_vdab_title(dispatcher):
    tracker = _tracker(
        "is lasser een knelpuntberoep", "occupation_prospects", "lasser",
        [{"entity": "occupation", "value": "lasser"}],
    )  # fmt: skip
    await ActionAnswerTopic().run(dispatcher, tracker, {})
    first = dispatcher.messages[0]
    assert first["response"] == "utter_occupation_is_shortage"
    assert first["title"] == "Manueel lasser"


async def test_sector_question_lists_the_sector(dispatcher):
    tracker = _tracker(
        "welke jobs in de horeca", "occupation_prospects", None,
        [{"entity": "sector", "value": "horeca"}],
    )  # fmt: skip
    await ActionAnswerTopic().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_sector_shortages"
    assert message["heading"] == "Horecaberoepen"
    assert "Kok" in message["titles"]


async def test_unknown_occupation_is_said_honestly(dispatcher):
    tracker = _tracker("wat doet een zeewolf", "occupation_info", "zeewolf")
    await ActionAnswerTopic().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_occupation_not_found"]


async def test_store_down_gives_a_friendly_answer_and_the_human_route(dispatcher, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent-dir/knowledge.db")
    tracker = _tracker("wat doet een kok", "occupation_info", "kok")
    await ActionAnswerTopic().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_knowledge_unavailable"]
