"""Answers about occupations, shortage occupations and sectors, from the knowledge store."""

from __future__ import annotations

import json
import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api import knowledge_store
from actions.api.knowledge_store import KnowledgeUnavailable, OccupationFacts
from knowledge.search import OccupationMatch

logger = logging.getLogger(__name__)

FIGURE_KINDS = ("vacancies", "jobseekers", "wage")  # each said by utter_figure_<kind>
# What the answer to each question needs to know about the occupation.
NEEDS_OF_TOPIC: dict[str, dict] = {
    "occupation_info": {"info": True, "listing": True},
    "occupation_prospects": {"listing": True},
    "occupation_wage": {"figure_kinds": FIGURE_KINDS},
}


def _did_you_mean(dispatcher: CollectingDispatcher, matches: list[OccupationMatch]) -> None:
    buttons = [
        {
            "title": m.display_name,
            "payload": "/inform_occupation" + json.dumps({"occupation": m.display_name}),
        }
        for m in matches
    ]
    dispatcher.utter_message(response="utter_occupation_did_you_mean", buttons=buttons)


def _shortage_lines(dispatcher: CollectingDispatcher, facts: OccupationFacts) -> None:
    listing = facts.listing
    if listing is None:
        dispatcher.utter_message(
            response="utter_occupation_not_shortage", label=facts.match.display_name
        )
        return
    dispatcher.utter_message(
        response="utter_occupation_is_shortage", title=listing.title, sector=listing.sector
    )
    if listing.exempt_from_labour_market_test:
        dispatcher.utter_message(response="utter_shortage_exempt")


def _answer(dispatcher: CollectingDispatcher, topic: str, facts: OccupationFacts) -> None:
    label, info = facts.match.display_name, facts.info
    if topic == "occupation_info":
        if info and info.description:
            dispatcher.utter_message(
                response="utter_occupation_description", label=label, description=info.description
            )
        if info and info.related:
            dispatcher.utter_message(
                response="utter_occupation_related", related=", ".join(info.related)
            )
        if info and info.regulated_note:
            dispatcher.utter_message(response="utter_occupation_regulated", label=label)
        _shortage_lines(dispatcher, facts)
        dispatcher.utter_message(response="utter_occupation_where_jobs")
    elif topic == "occupation_prospects":
        _shortage_lines(dispatcher, facts)
        dispatcher.utter_message(response="utter_occupation_where_jobs")
    elif topic == "occupation_wage":
        for figure in facts.figures:
            dispatcher.utter_message(
                response=f"utter_figure_{figure.kind}",
                label=label,
                value=f"{figure.value:g}",
                unit=figure.unit,
                period=figure.period,
                region=figure.region,
                as_of=figure.as_of.strftime("%m/%Y"),
            )
        if not facts.figures:
            dispatcher.utter_message(response="utter_occupation_no_figures", label=label)
    else:  # occupation_education
        dispatcher.utter_message(response="utter_occupation_education_route", label=label)


async def answer_sector(dispatcher: CollectingDispatcher, sector: str) -> list[EventType]:
    """Shortage occupations in a sector ("welke jobs in de horeca ...")."""
    try:
        heading, listings = await knowledge_store.sector_shortages(sector)
    except KnowledgeUnavailable as error:
        logger.warning("knowledge.unavailable", extra={"error": str(error)})
        dispatcher.utter_message(response="utter_knowledge_unavailable")
        return [SlotSet("topic", None)]
    if not listings:
        dispatcher.utter_message(response="utter_occupation_prospects")
    else:
        dispatcher.utter_message(
            response="utter_sector_shortages",
            heading=heading,
            count=len(listings),
            titles=", ".join(listing.title for listing in listings),
        )
    return [SlotSet("topic", None)]


async def answer_occupation(
    dispatcher: CollectingDispatcher, tracker: Tracker, topic: str, from_text: bool = False
) -> list[EventType] | None:
    """Answer ``topic`` about the occupation in the ``occupation`` slot.

    With ``from_text`` the occupation is looked for in the message itself (typos the
    entity ruler cannot know); then None means that no occupation was found.
    """
    if from_text:
        text = tracker.latest_message.get("text", "")
    else:
        text = tracker.get_slot("occupation") or ""
    try:
        found = await knowledge_store.occupation(
            text, in_text=from_text, **NEEDS_OF_TOPIC.get(topic, {})
        )
    except KnowledgeUnavailable as error:
        logger.warning("knowledge.unavailable", extra={"error": str(error)})
        dispatcher.utter_message(response="utter_knowledge_unavailable")
        return [SlotSet("topic", None)]
    if not found.matches:
        if from_text:
            return None
        dispatcher.utter_message(response="utter_occupation_not_found", typed=text)
        return [SlotSet("topic", None)]
    if found.facts is None:
        _did_you_mean(dispatcher, found.matches)
        return [SlotSet("topic", topic)]
    _answer(dispatcher, topic, found.facts)
    return [SlotSet("topic", None)]
