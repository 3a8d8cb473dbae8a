"""Hand the conversation to a human counsellor.

This is the hook the handoff queue builds on: for now it records the request and its
priority in the tracker (slot ``handoff_priority``) and shows how to reach a person.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

CRISIS_PRIORITY = "crisis"
NORMAL_PRIORITY = "normal"


def request_handoff(tracker: Tracker, priority: str) -> list[EventType]:
    """Events that mark the conversation for a counsellor; crisis priority never drops."""
    if tracker.get_slot("handoff_priority") == CRISIS_PRIORITY:
        priority = CRISIS_PRIORITY
    return [SlotSet("handoff_priority", priority)]


class ActionRequestHuman(Action):
    """The person asks for a human."""

    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_human_options")
        return request_handoff(tracker, NORMAL_PRIORITY)
