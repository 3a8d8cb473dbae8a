"""Crisis: crisis lines first, then mark the conversation for urgent human follow-up."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import CRISIS_PRIORITY, request_handoff
from actions.topic_catalogue import ANSWERS

# Red-flag categories for which the violence line (1712) comes first.
VIOLENCE_CATEGORIES = frozenset({"abuse"})


class ActionCrisisResponse(Action):
    """Shows the crisis lines as the very first reply and flags the conversation."""

    def name(self) -> str:
        return "action_crisis_response"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        violence = tracker.get_slot("crisis_category") in VIOLENCE_CATEGORIES
        dispatcher.utter_message(
            response="utter_crisis_lines_violence" if violence else "utter_crisis_lines"
        )
        dispatcher.utter_message(response="utter_crisis_followup")
        events: list[EventType] = [SlotSet("crisis", True), SlotSet("topic", None)]
        if tracker.active_loop.get("name"):
            events.append(ActiveLoop(None))
        return events + await request_handoff(dispatcher, tracker, CRISIS_PRIORITY)


class ActionCrisisCheckIn(Action):
    """Only the classifier suspects a crisis: show the lines and ask how the person is.

    The question the message most likely was (next in the intent ranking) waits in the
    ``topic`` slot, so "het gaat wel" answers it.
    """

    def name(self) -> str:
        return "action_crisis_check_in"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_crisis_check_in")
        ranking = tracker.latest_message.get("intent_ranking", [])
        alternative = next((r["name"] for r in ranking if r["name"] in ANSWERS), None)
        return [SlotSet("topic", alternative)]
