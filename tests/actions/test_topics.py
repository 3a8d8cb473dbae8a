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
    assert responses(dispatcher) == ["utter_study_choice_higher"]
    assert events == [SlotSet("topic", None)]


async def test_declining_still_gets_a_general_answer(dispatcher):
    tracker = load_tracker("person_declines_group_question")
    events = await ActionAnswerTopic().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_no_problem_general", "utter_find_work"]
    assert events == [SlotSet("topic", None)]


async def test_occupation_question_without_occupation_asks_which(dispatcher):
    tracker = load_tracker("occupation_question_without_occupation")
    events = await ActionAnswerTopic().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_ask_occupation"]
    assert events == [SlotSet("topic", "occupation_info")]
