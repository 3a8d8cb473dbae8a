"""What to do when the assistant does not understand a message."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.base import Dispatcher, Domain, Events, NamedAction
from actions.clarification import offer_likely_questions
from actions.handoff import NORMAL_PRIORITY, request_handoff
from actions.topic_catalogue import NEEDS_OCCUPATION
from actions.topics import answer_pending_topic, latest_entity

FALLBACK_INTENT = "nlu_fallback"


def _previous_user_intent(tracker: Tracker) -> str | None:
    user_events = [e for e in tracker.events if e.get("event") == "user"]
    if len(user_events) < 2:
        return None
    return (user_events[-2].get("parse_data") or {}).get("intent", {}).get("name")


class ActionHandleFallback(NamedAction):
    """Offers the likely questions ("Bedoel je ...?") or says what the assistant can do;
    the second miss in a row offers a human."""

    NAME = "action_handle_fallback"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: Domain) -> Events:
        # "lasser" after "over welk beroep gaat je vraag?" is an answer, not a miss.
        if tracker.get_slot("topic") in NEEDS_OCCUPATION and latest_entity(tracker, "occupation"):
            return await answer_pending_topic(dispatcher, tracker, None)

        if _previous_user_intent(tracker) == FALLBACK_INTENT:
            dispatcher.utter_message(response="utter_default_again")
            return await request_handoff(dispatcher, tracker, NORMAL_PRIORITY)
        if not offer_likely_questions(dispatcher, tracker, domain):
            dispatcher.utter_message(response="utter_default")
        return []
