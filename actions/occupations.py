"""Answers about occupations, shortage occupations and sectors, from the knowledge store."""

from __future__ import annotations

import json
import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api.knowledge_store import KnowledgeUnavailable, store_session
from knowledge.repository import (
    occupation_figures,
    occupation_info,
    sector_heading,
    shortage_listing,
    shortages_in_sector,
)
from knowledge.search import (
    OccupationMatch,
    find_occupation_in_text,
    find_occupations,
    is_ambiguous,
)

logger = logging.getLogger(__name__)

FIGURE_KINDS = ("vacancies", "jobseekers", "wage")


def _did_you_mean(dispatcher: CollectingDispatcher, matches: list[OccupationMatch]) -> None:
    buttons = [
        {
            "title": m.display_name,
            "payload": "/inform_occupation" + json.dumps({"occupation": m.display_name}),
        }
        for m in matches
    ]
    dispatcher.utter_message(response="utter_occupation_did_you_mean", buttons=buttons)


def _shortage_lines(dispatcher: CollectingDispatcher, session, match: OccupationMatch) -> None:
    label = match.display_name
    if match.shortage_id is None:
        dispatcher.utter_message(response="utter_occupation_not_shortage", label=label)
        return
    listing = shortage_listing(session, match.shortage_id)
    dispatcher.utter_message(
        response="utter_occupation_is_shortage", title=listing.title, sector=listing.sector
    )
    if listing.exempt_from_labour_market_test:
        dispatcher.utter_message(response="utter_shortage_exempt")


def _answer(dispatcher: CollectingDispatcher, session, topic: str, match: OccupationMatch) -> None:
    label = match.display_name
    info = occupation_info(session, match.occupation_id) if match.occupation_id else None
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
        _shortage_lines(dispatcher, session, match)
        dispatcher.utter_message(response="utter_occupation_where_jobs")
    elif topic == "occupation_prospects":
        _shortage_lines(dispatcher, session, match)
        dispatcher.utter_message(response="utter_occupation_where_jobs")
    elif topic == "occupation_wage":
        figures = []
        if match.occupation_id:
            for kind in FIGURE_KINDS:
                figures += occupation_figures(session, match.occupation_id, kind)
        for figure in figures:
            dispatcher.utter_message(
                response=f"utter_figure_{figure.kind}",
                label=label,
                value=f"{figure.value:g}",
                unit=figure.unit,
                period=figure.period,
                region=figure.region,
                as_of=figure.as_of.strftime("%m/%Y"),
            )
        if not figures:
            dispatcher.utter_message(response="utter_occupation_no_figures", label=label)
    else:  # occupation_education
        dispatcher.utter_message(response="utter_occupation_education_route", label=label)


def answer_sector(dispatcher: CollectingDispatcher, sector: str) -> list[EventType]:
    """Shortage occupations in a sector ("welke jobs in de horeca ...")."""
    try:
        with store_session() as session:
            heading = sector_heading(session, sector)
            listings = shortages_in_sector(session, heading) if heading else []
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


def answer_occupation(
    dispatcher: CollectingDispatcher, tracker: Tracker, topic: str, from_text: bool = False
) -> list[EventType] | None:
    """Answer ``topic`` about the occupation in the ``occupation`` slot.

    With ``from_text`` the occupation is looked for in the message itself (typos the
    entity ruler cannot know); then None means that no occupation was found.
    """
    try:
        with store_session() as session:
            if from_text:
                matches = find_occupation_in_text(session, tracker.latest_message.get("text", ""))
                if not matches:
                    return None
            else:
                typed = tracker.get_slot("occupation") or ""
                matches = find_occupations(session, typed)
                if not matches:
                    dispatcher.utter_message(response="utter_occupation_not_found", typed=typed)
                    return [SlotSet("topic", None)]
            if is_ambiguous(matches):
                _did_you_mean(dispatcher, matches)
                return [SlotSet("topic", topic)]
            _answer(dispatcher, session, topic, matches[0])
    except KnowledgeUnavailable as error:
        logger.warning("knowledge.unavailable", extra={"error": str(error)})
        dispatcher.utter_message(response="utter_knowledge_unavailable")
    return [SlotSet("topic", None)]
