"""The model's guess of the user group fills an empty slot and replaces nothing."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.user_group import ActionGuessUserGroup
from tests.actions.conftest import load_tracker

GUESS = {"entity": "user_group", "value": "werkende", "role": "guessed", "start": 0, "end": 0}
STATED = {"entity": "user_group", "value": "werkende", "start": 0, "end": 0}


def tracker_with(entities: list[dict], **slots):
    tracker = load_tracker("asks_for_career_guidance", **slots)
    tracker.latest_message["entities"] = entities
    return tracker


async def test_a_guess_fills_an_empty_group(dispatcher, domain):
    events = await ActionGuessUserGroup().run(
        dispatcher, tracker_with([GUESS], user_group=None), domain
    )
    assert events == [SlotSet("user_group", "werkende")]


async def test_a_guess_never_replaces_a_group_already_set(dispatcher, domain):
    tracker = tracker_with([GUESS], user_group="scholier")
    assert await ActionGuessUserGroup().run(dispatcher, tracker, domain) == []


async def test_a_stated_group_is_not_this_actions_business(dispatcher, domain):
    # the from_entity mapping before this one sets a stated group
    events = await ActionGuessUserGroup().run(
        dispatcher, tracker_with([STATED], user_group=None), domain
    )
    assert events == []
    assert dispatcher.messages == []
