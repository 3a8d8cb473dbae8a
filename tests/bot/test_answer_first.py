"""A message that states the group and asks something gets the answer (AnswerFirst)."""

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_components import AnswerFirst


def _parsed(*ranking: tuple[str, float]) -> Message:
    message = Message({TEXT: "ik ben werkloos en zoek werk"})
    ranks = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, ranks[0])
    message.set(INTENT_RANKING_KEY, ranks)
    return message


@pytest.fixture
def answer_first() -> AnswerFirst:
    return AnswerFirst.from_config(
        {"statement": "inform_user_group", "question_above": 0.25, "not_questions": ["greet"]}
    )


def test_a_question_close_behind_the_statement_goes_first(answer_first):
    message = _parsed(("inform_user_group", 0.39), ("greet", 0.3), ("find_work", 0.27))
    answer_first.process([message])
    assert message.get(INTENT)["name"] == "find_work"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)][:2] == [
        "find_work",
        "inform_user_group",
    ]


@pytest.mark.parametrize(
    "ranking",
    [
        [("inform_user_group", 0.9), ("find_work", 0.05)],  # a plain statement
        [("inform_user_group", 0.5), ("greet", 0.4), ("find_work", 0.1)],  # no question
        [("find_work", 0.6), ("inform_user_group", 0.3)],  # the question leads already
    ],
)
def test_otherwise_the_ranking_stays(answer_first, ranking):
    message = _parsed(*ranking)
    answer_first.process([message])
    assert [(r["name"], r["confidence"]) for r in message.get(INTENT_RANKING_KEY)] == ranking
