"""The user group the model guessed fills the slot only while nobody stated one."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import Dispatcher, Domain, Events, NamedAction

GUESSED_ROLE = "guessed"  # the role bot.nlu.user_group_components gives its guess


def guessed_group(tracker: Tracker) -> str | None:
    """The group the model guessed from the latest message, or None."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "user_group" and entity.get("role") == GUESSED_ROLE:
            return entity.get("value")
    return None


class ActionGuessUserGroup(NamedAction):
    """Custom slot mapping of ``user_group``: a guess never replaces a group the person
    stated earlier, nor an earlier guess (a later message about a friend or a plan for
    later would otherwise change the services the person is sent to)."""

    NAME = "action_guess_user_group"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: Domain) -> Events:
        guess = guessed_group(tracker)
        if guess is None or tracker.get_slot("user_group") is not None:
            return []
        return [SlotSet("user_group", guess)]
