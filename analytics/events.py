"""What Rasa's events say about a conversation: the names this assistant uses for a
fallback, an ask-back, a handoff, a crisis and a rating, and how an event changes a
conversation's running counts.

The names come from ``bot/`` and ``actions/``: the rule ``nlu_fallback`` ->
``action_handle_fallback`` (bot/rules/fallback.yml), the ask-back response
``utter_did_you_mean`` (actions/clarification.py), the slots ``handoff_priority`` and
``handoff_status`` that every handoff request and the console set (actions/handoff.py,
channels/console/conversations.py), Rasa's ``pause`` and ``resume`` events of a claim and a
handback, the slot ``crisis`` (actions/crisis.py) and the intent ``rate_conversation`` with
its ``rating`` entity (bot/domain/handoff.yml).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from analytics.models import OpenConversation

FALLBACK_INTENT = "nlu_fallback"
CLARIFICATION_RESPONSE = "utter_did_you_mean"
RATING_INTENT = "rate_conversation"
QUEUED, WITH_COUNSELLOR, CLOSED = "queued", "with_counsellor", "closed"
DEFAULT_LANGUAGE = "nl"  # the language slot's initial value
# Replies that a store could not be reached (actions/handoff.py, occupations.py, signposting.py).
ERROR_RESPONSES = frozenset({"utter_handoff_unavailable", "utter_knowledge_unavailable"})


def event_time(event: dict[str, Any]) -> dt.datetime:
    """The event's time as naive UTC (the project's convention)."""
    stamp = event.get("timestamp")
    if not isinstance(stamp, (int, float)):
        return dt.datetime.utcnow()
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).replace(tzinfo=None)


def new_conversation(key: str, at: dt.datetime) -> OpenConversation:
    """The running counts of a conversation whose first event came at ``at``."""
    return OpenConversation(
        conversation=key, started_at=at, last_event_at=at, language=DEFAULT_LANGUAGE,
        messages=0, fallbacks=0, clarifications=0, handoff_requested=False,
        handoff_queued=False, claimed=False, handoff_finished=False, waiting=False,
        crisis=False,
    )  # fmt: skip


def _rating(parse_data: dict[str, Any]) -> int | None:
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == "rating":
            try:
                stars = int(str(entity.get("value")))
            except ValueError:
                return None
            return stars if 1 <= stars <= 5 else None
    return None


def _short(value: Any, limit: int) -> str | None:
    return None if value is None else str(value)[:limit]


def _user(conversation: OpenConversation, event: dict[str, Any]) -> None:
    conversation.messages += 1
    if not conversation.channel and event.get("input_channel"):
        conversation.channel = _short(event["input_channel"], 40)
    parse_data = event.get("parse_data") or {}
    intent = (parse_data.get("intent") or {}).get("name")
    if intent == FALLBACK_INTENT:
        conversation.fallbacks += 1
    elif intent == RATING_INTENT:
        stars = _rating(parse_data)
        if stars is not None:
            conversation.rating = stars


def _slot(conversation: OpenConversation, name: str, value: Any, at: dt.datetime) -> None:
    if name == "user_group" and value:
        conversation.user_group = _short(value, 40)
    elif name == "topic" and value and not conversation.topic:
        conversation.topic = _short(value, 60)  # the first question asked
    elif name == "language" and value:
        conversation.language = _short(value, 10)
    elif name == "crisis" and value is True:
        conversation.crisis = True
    elif name == "handoff_priority" and value:
        conversation.handoff_requested = True
    elif name == "handoff_status":
        _handoff_status(conversation, value, at)


def _handoff_status(conversation: OpenConversation, value: Any, at: dt.datetime) -> None:
    if value == QUEUED:
        conversation.handoff_queued = True
        conversation.waiting = True
        if conversation.queued_at is None or not conversation.claimed:
            conversation.queued_at = at
    elif value == WITH_COUNSELLOR:
        _claimed(conversation, at)
    elif value == CLOSED:
        conversation.handoff_finished = conversation.handoff_finished or conversation.claimed
        conversation.waiting = False
    elif value is None:  # left the queue, or handed back
        conversation.waiting = False


def _claimed(conversation: OpenConversation, at: dt.datetime) -> None:
    conversation.waiting = True
    if conversation.claimed:
        return
    conversation.claimed = True
    if conversation.queued_at is not None:
        conversation.wait_seconds = max(0.0, (at - conversation.queued_at).total_seconds())


def is_error_reply(event: dict[str, Any]) -> bool:
    """True for a bot reply saying that a store could not be reached."""
    utter = (event.get("metadata") or {}).get("utter_action")
    return event.get("event") == "bot" and utter in ERROR_RESPONSES


def apply_event(conversation: OpenConversation, event: dict[str, Any]) -> None:
    """Count ``event`` in ``conversation`` (its text, if any, is never kept)."""
    at = event_time(event)
    conversation.last_event_at = max(conversation.last_event_at, at)
    kind = event.get("event")
    if kind == "user":
        _user(conversation, event)
    elif kind == "bot":
        if (event.get("metadata") or {}).get("utter_action") == CLARIFICATION_RESPONSE:
            conversation.clarifications += 1
    elif kind == "slot":
        _slot(conversation, str(event.get("name")), event.get("value"), at)
    elif kind == "pause":
        _claimed(conversation, at)
    elif kind == "resume" and conversation.claimed:
        conversation.handoff_finished = True
        conversation.waiting = False
