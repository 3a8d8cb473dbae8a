"""Answer a guidance question at once; ask back only for the occupation it is about."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api import handoff_queue
from actions.api.handoff_queue import HandoffUnavailable
from actions.base import Dispatcher, Domain, Events, NamedAction
from actions.occupations import answer_occupation, answer_sector
from actions.signposting import signpost, state_fact
from actions.summary import conversation_summary, current_topic
from actions.topic_catalogue import (
    ANSWERS,
    DEPENDS_ON_USER_GROUP,
    FACTS_OF_TOPIC,
    FOLLOW_UP_INTENTS,
    NEED_OF_TOPIC,
    NEEDS_OCCUPATION,
    OCCUPATION_TOPICS,
)

logger = logging.getLogger(__name__)


def latest_entity(tracker: Tracker, name: str) -> str | None:
    """The value of entity ``name`` in the latest user message, or None."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == name:
            return entity.get("value")
    return None


async def answer_pending_topic(
    dispatcher: CollectingDispatcher, tracker: Tracker, intent: str | None
) -> list[EventType]:
    """Answer the question of ``intent`` or the one still waiting in the ``topic`` slot."""
    pending = tracker.get_slot("topic")
    topic = intent if intent in ANSWERS else pending
    if topic is None and intent == "inform_occupation":
        topic = "occupation_info"
    if intent == "decline_user_group":
        dispatcher.utter_message(response="utter_no_problem_general")
        return [SlotSet("topic", None)]
    if topic is None:
        dispatcher.utter_message(response="utter_how_can_i_help")
        return []

    if topic in OCCUPATION_TOPICS:
        named_now = latest_entity(tracker, "occupation") or intent == "inform_occupation"
        sector = latest_entity(tracker, "sector")
        if topic == "occupation_prospects" and sector and not named_now:
            return await answer_sector(dispatcher, sector)
        # A shortage question without a name is general; other questions may go on
        # about the occupation named earlier ("en hoeveel verdient dat?").
        known = named_now or (topic != "occupation_prospects" and tracker.get_slot("occupation"))
        if known:
            return await answer_occupation(dispatcher, tracker, topic)
        if intent in OCCUPATION_TOPICS:
            answered = await answer_occupation(dispatcher, tracker, topic, from_text=True)
            if answered is not None:
                return answered
        if topic in NEEDS_OCCUPATION:
            dispatcher.utter_message(response="utter_ask_occupation")
            return [SlotSet("topic", topic)]

    dispatcher.utter_message(response=ANSWERS[topic])
    language = tracker.get_slot("language")
    for key in FACTS_OF_TOPIC.get(topic, ()):
        await state_fact(dispatcher, key, language)
    events: list[EventType] = [SlotSet("topic", None)]
    if topic in NEED_OF_TOPIC:
        group = tracker.get_slot("user_group")
        shown = await signpost(dispatcher, group, NEED_OF_TOPIC[topic], language)
        earlier = tracker.get_slot("signposted") or []
        if shown:
            events.append(SlotSet("signposted", earlier + [k for k in shown if k not in earlier]))
    # Answer first; where the group changes the answer, offer a more specific one once.
    if (
        topic in DEPENDS_ON_USER_GROUP
        and tracker.get_slot("user_group") is None
        and not tracker.get_slot("group_asked")
    ):
        dispatcher.utter_message(response="utter_offer_user_group")
        events = [SlotSet("topic", topic), SlotSet("group_asked", True), *events[1:]]
    return events


class ActionAnswerTopic(NamedAction):
    """Answers study, training, work, occupation and newcomer questions.

    The Dutch text is in the domain; responses vary by the ``user_group`` slot.
    """

    NAME = "action_answer_topic"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: Domain) -> Events:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent not in ANSWERS and intent not in FOLLOW_UP_INTENTS:
            intent = None
        events = await answer_pending_topic(dispatcher, tracker, intent)
        await note_progress(tracker, intent)
        return events


async def note_progress(tracker: Tracker, intent: str | None, crisis: bool = False) -> None:
    """Keep the group, the question and the crisis flag for the console's live view of bot
    conversations; the person's answer never waits on it failing."""
    summary = conversation_summary(tracker)
    try:
        await handoff_queue.note_progress(
            tracker.sender_id,
            user_group=tracker.get_slot("user_group"),
            topic=intent if intent in ANSWERS else current_topic(tracker, summary),
            summary=summary,
            crisis=crisis or bool(tracker.get_slot("crisis")),
        )
    except HandoffUnavailable as error:
        logger.warning("handoff.store_unavailable", extra={"error": str(error)})
