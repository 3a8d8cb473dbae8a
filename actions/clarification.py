"""'Bedoel je ...?': offer the most likely questions as buttons instead of guessing."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.topic_catalogue import ANSWERS

# A question is offered when the classifier gives it at least this confidence.
MIN_CONFIDENCE = 0.08
MAX_OFFERED = 3


def likely_questions(tracker: Tracker) -> list[str]:
    """The answerable intents of the latest message's ranking, most likely first."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    likely = [
        r["name"]
        for r in ranking
        if r.get("name") in ANSWERS and (r.get("confidence") or 0.0) >= MIN_CONFIDENCE
    ]
    return likely[:MAX_OFFERED]


def label(domain: dict[str, Any], intent: str, language: str | None) -> str:
    """The button text of ``intent`` (response ``utter_label_<intent>``) in ``language``."""
    variants = domain.get("responses", {}).get(f"utter_label_{intent}", [])
    fallback = intent
    for variant in variants:
        conditions = variant.get("condition") or []
        if not conditions:
            fallback = variant.get("text", intent)
        elif any(c.get("name") == "language" and c.get("value") == language for c in conditions):
            return variant.get("text", intent)
    return fallback


def offer_likely_questions(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> bool:
    """Ask "Bedoel je ...?" with the likely questions, "iets anders" and a human.

    False (and nothing said) when no question is likely enough to offer.
    """
    questions = likely_questions(tracker)
    if not questions:
        return False
    language = tracker.get_slot("language")
    buttons = [
        {"title": label(domain, intent, language), "payload": f"/{intent}"}
        for intent in [*questions, "something_else", "ask_human"]
    ]
    dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
    return True
