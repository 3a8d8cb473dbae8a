"""What a counsellor sees first of a conversation, kept by the actions in the handoff store."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.topic_catalogue import ANSWERS


def conversation_summary(tracker: Tracker) -> dict[str, Any]:
    """What the counsellor sees first: the conversation's language, the questions asked
    and the services shown."""
    asked = []
    for event in tracker.events:
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in ANSWERS and intent not in asked:
                asked.append(intent)
    return {
        "language": tracker.get_slot("language") or "nl",
        "asked": asked,
        "signposted": tracker.get_slot("signposted") or [],
        "occupation": tracker.get_slot("occupation"),
    }


def current_topic(tracker: Tracker, summary: dict[str, Any]) -> str | None:
    """The question the conversation is about: the one waiting for an answer, else the last
    one asked (the ``topic`` slot is cleared once a question is answered)."""
    return tracker.get_slot("topic") or (summary["asked"] or [None])[-1]
