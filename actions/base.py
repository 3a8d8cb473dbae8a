"""What every action of this assistant is: a Rasa SDK action named by its ``NAME``."""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

Dispatcher = CollectingDispatcher
Domain = dict[str, Any]
Events = list[EventType]


class NamedAction(Action, abc.ABC):
    """A Rasa SDK action named by its ``NAME`` (Rasa SDK does not register this abstract
    base itself)."""

    NAME: str

    def name(self) -> str:
        return self.NAME

    @abc.abstractmethod
    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: Domain) -> Events:
        """Reply through ``dispatcher``; the events that change the conversation."""
