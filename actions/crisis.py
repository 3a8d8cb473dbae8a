"""Crisis: crisis lines first, then mark the conversation for urgent human follow-up."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet

from actions.base import Dispatcher, Domain, Events, NamedAction
from actions.handoff import CRISIS_PRIORITY, request_handoff
from actions.topic_catalogue import ANSWERS

# Red-flag categories for which the violence line (1712) comes first.
VIOLENCE_CATEGORIES = frozenset({"abuse"})


class ActionCrisisResponse(NamedAction):
    """Shows the crisis lines as the very first reply and flags the conversation."""

    NAME = "action_crisis_response"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: Domain) -> Events:
        violence = tracker.get_slot("crisis_category") in VIOLENCE_CATEGORIES
        dispatcher.utter_message(
            response="utter_crisis_lines_violence" if violence else "utter_crisis_lines"
        )
        dispatcher.utter_message(response="utter_crisis_followup")
        events: list[EventType] = [SlotSet("crisis", True), SlotSet("topic", None)]
        if tracker.active_loop.get("name"):
            events.append(ActiveLoop(None))
        return events + await request_handoff(dispatcher, tracker, CRISIS_PRIORITY)


class ActionCrisisCheckIn(NamedAction):
    """Only the classifier suspects a crisis: show the lines and ask how the person is.

    The question the message most likely was (next in the intent ranking) waits in the
    ``topic`` slot, so "het gaat wel" answers it.
    """

    NAME = "action_crisis_check_in"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: Domain) -> Events:
        dispatcher.utter_message(response="utter_crisis_check_in")
        ranking = tracker.latest_message.get("intent_ranking", [])
        alternative = next((r["name"] for r in ranking if r["name"] in ANSWERS), None)
        return [SlotSet("topic", alternative)]
