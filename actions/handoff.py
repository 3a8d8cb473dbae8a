"""Hand the conversation to a human counsellor: queue, opening hours, leaving, rating.

The queue lives in the handoff store (``handoff/``); the console takes conversations from
it. The person sees their place and an estimate; outside opening hours, or when the
handoff store cannot be reached, the bot says so and keeps answering.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.topic_catalogue import ANSWERS
from actions.topics import latest_entity
from database import handoff_sessions
from handoff.accounts import counsellors_online
from handoff.models import Conversation
from handoff.opening_hours import DEFAULT_FILE, OpeningHours, load_opening_hours
from handoff.queue import enqueue, leave_queue, places, utc_now
from settings import load_settings

logger = logging.getLogger(__name__)

CRISIS_PRIORITY = "crisis"
NORMAL_PRIORITY = "normal"
WEEKDAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def opening_hours() -> OpeningHours:
    """The configured opening hours (OPENING_HOURS_FILE, default CLB Ch@t's)."""
    return load_opening_hours(load_settings().opening_hours_file or DEFAULT_FILE)


def conversation_summary(tracker: Tracker) -> dict[str, Any]:
    """What the counsellor sees first: the questions asked and the services shown."""
    asked = []
    for event in tracker.events:
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in ANSWERS and intent not in asked:
                asked.append(intent)
    return {
        "asked": asked,
        "signposted": tracker.get_slot("signposted") or [],
        "occupation": tracker.get_slot("occupation"),
    }


def _status_signal(status: str, position: int | None = None, minutes: int | None = None):
    return {
        "signal": {"type": "status", "status": status, "position": position, "minutes": minutes}
    }


def request_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, priority: str
) -> list[EventType]:
    """Queue the conversation for a counsellor when someone can answer; crisis never drops."""
    if tracker.get_slot("handoff_priority") == CRISIS_PRIORITY:
        priority = CRISIS_PRIORITY
    events: list[EventType] = [SlotSet("handoff_priority", priority)]
    status = tracker.get_slot("handoff_status")
    if status == "with_counsellor":
        return events
    hours = opening_hours()
    now = utc_now()
    aware_now = now.replace(tzinfo=dt.timezone.utc)
    if not hours.is_open(aware_now):
        opening = hours.next_opening(aware_now)
        if opening is None:
            dispatcher.utter_message(response="utter_handoff_closed_unknown")
        else:
            dispatcher.utter_message(
                response="utter_handoff_closed",
                day=WEEKDAY_NAMES[opening.weekday()],
                date=f"{opening.day}/{opening.month}",
                time=opening.strftime("%H.%M"),
            )
        return events
    channel = tracker.get_latest_input_channel() or "rest"
    summary = conversation_summary(tracker)
    try:
        with handoff_sessions().begin() as session:
            enqueue(
                session,
                tracker.sender_id,
                channel,
                priority,
                tracker.get_slot("user_group"),
                tracker.get_slot("topic") or (summary["asked"] or [None])[-1],
                summary,
                now,
            )
            session.flush()
            online = counsellors_online(session, now)
            place = places(session, online).get(tracker.sender_id)
    except SQLAlchemyError as error:
        logger.warning("handoff.store_unavailable", extra={"error": type(error).__name__})
        dispatcher.utter_message(response="utter_handoff_unavailable")
        return events
    if online == 0:
        dispatcher.utter_message(response="utter_handoff_nobody_online")
    if place is not None:
        dispatcher.utter_message(
            response="utter_handoff_queued", position=place.position, minutes=place.minutes
        )
        dispatcher.utter_message(
            json_message=_status_signal("queued", place.position, place.minutes)
        )
    return [*events, SlotSet("handoff_status", "queued")]


class ActionRequestHuman(Action):
    """The person asks for a human."""

    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return request_handoff(dispatcher, tracker, NORMAL_PRIORITY)


class ActionLeaveQueue(Action):
    """The person stops waiting and goes on with the bot."""

    def name(self) -> str:
        return "action_leave_queue"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            with handoff_sessions().begin() as session:
                left = leave_queue(session, tracker.sender_id)
        except SQLAlchemyError as error:
            logger.warning("handoff.store_unavailable", extra={"error": type(error).__name__})
            left = False
        dispatcher.utter_message(response="utter_handoff_left" if left else "utter_how_can_i_help")
        dispatcher.utter_message(json_message=_status_signal("bot"))
        return [SlotSet("handoff_status", None)]


class ActionRateConversation(Action):
    """Keep the 1-5 star rating the person gives after a counsellor handed back."""

    def name(self) -> str:
        return "action_rate_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            stars = int(latest_entity(tracker, "rating"))
        except (TypeError, ValueError):
            stars = 0
        if not 1 <= stars <= 5:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        try:
            with handoff_sessions().begin() as session:
                row = session.get(Conversation, tracker.sender_id)
                if row is not None:
                    row.rating = stars
        except SQLAlchemyError as error:
            logger.warning("handoff.store_unavailable", extra={"error": type(error).__name__})
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return []
