"""Answer a guidance question, after asking the one fact the answer needs."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.topic_catalogue import (
    ANSWERS,
    DEPENDS_ON_USER_GROUP,
    FOLLOW_UP_INTENTS,
    NEEDS_OCCUPATION,
)


def answer_pending_topic(
    dispatcher: CollectingDispatcher, tracker: Tracker, intent: str | None
) -> list[EventType]:
    """Answer the question of ``intent`` or the one still waiting in the ``topic`` slot."""
    pending = tracker.get_slot("topic")
    topic = intent if intent in ANSWERS else pending
    if topic is None and intent == "inform_occupation":
        topic = "occupation_info"
    if intent == "decline_user_group":
        dispatcher.utter_message(response="utter_no_problem_general")
    if topic is None:
        dispatcher.utter_message(response="utter_how_can_i_help")
        return []

    group_unknown = tracker.get_slot("user_group") is None
    if (
        topic in DEPENDS_ON_USER_GROUP
        and group_unknown
        and not tracker.get_slot("group_asked")
        and intent != "decline_user_group"
    ):
        dispatcher.utter_message(response="utter_ask_user_group")
        return [SlotSet("topic", topic), SlotSet("group_asked", True)]

    if topic in NEEDS_OCCUPATION and not tracker.get_slot("occupation"):
        dispatcher.utter_message(response="utter_ask_occupation")
        return [SlotSet("topic", topic)]

    dispatcher.utter_message(response=ANSWERS[topic])
    return [SlotSet("topic", None)]


class ActionAnswerTopic(Action):
    """Answers study, training, work, occupation and newcomer questions.

    The Dutch text is in the domain; responses vary by the ``user_group`` slot.
    """

    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent not in ANSWERS and intent not in FOLLOW_UP_INTENTS:
            intent = None
        return answer_pending_topic(dispatcher, tracker, intent)
