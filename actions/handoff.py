"""Hand the conversation to a human counsellor: queue, opening hours, leaving, rating.

The queue lives in the handoff store (``handoff/``); the console takes conversations from
it. The person sees their place and an estimate; outside opening hours, or when the
handoff store cannot be reached, the bot says so and keeps answering.
"""

from __future__ import annotations

import datetime as dt
import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api import handoff_queue
from actions.api.handoff_queue import HandoffUnavailable
from actions.base import Dispatcher, Domain, Events, NamedAction
from actions.summary import conversation_summary, current_topic
from actions.topics import latest_entity, note_progress
from handoff.queue import utc_now

logger = logging.getLogger(__name__)

CRISIS_PRIORITY = "crisis"
NORMAL_PRIORITY = "normal"
LONG_WAIT_MINUTES = 60  # above it the wait is "more than an hour", as in the widget's status line
WEEKDAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def _status_signal(status: str, position: int | None = None, minutes: int | None = None):
    return {
        "signal": {"type": "status", "status": status, "position": position, "minutes": minutes}
    }


async def request_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, priority: str
) -> list[EventType]:
    """Queue the conversation for a counsellor when someone can answer; crisis never drops."""
    if tracker.get_slot("handoff_priority") == CRISIS_PRIORITY:
        priority = CRISIS_PRIORITY
    events: list[EventType] = [SlotSet("handoff_priority", priority)]
    status = tracker.get_slot("handoff_status")
    if status == "with_counsellor":
        return events
    hours = await handoff_queue.opening_hours()
    now = utc_now()
    aware_now = now.replace(tzinfo=dt.timezone.utc)
    if not hours.is_open(aware_now):
        if priority == CRISIS_PRIORITY:  # not queued, but the live view shows the crisis
            await note_progress(tracker, None, crisis=True)
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
        queued = await handoff_queue.join_queue(
            tracker.sender_id,
            channel,
            priority,
            now,
            user_group=tracker.get_slot("user_group"),
            topic=current_topic(tracker, summary),
            summary=summary,
        )
    except HandoffUnavailable as error:
        logger.warning("handoff.store_unavailable", extra={"error": str(error)})
        dispatcher.utter_message(response="utter_handoff_unavailable")
        return events
    if queued.counsellors_online == 0:
        dispatcher.utter_message(response="utter_handoff_nobody_online")
    place = queued.place
    if place is not None:
        dispatcher.utter_message(
            response=_queued_response(place.minutes, queued.counsellors_online),
            position=place.position,
            minutes=place.minutes,
        )
        dispatcher.utter_message(
            json_message=_status_signal("queued", place.position, place.minutes)
        )
    return [*events, SlotSet("handoff_status", "queued")]


def _queued_response(minutes: int, counsellors_online: int) -> str:
    """The place in the queue: without a time when nobody is online (nobody can say when
    someone comes), as "more than an hour" above an hour, else with the estimate."""
    if counsellors_online == 0:
        return "utter_handoff_queued_no_estimate"
    if minutes > LONG_WAIT_MINUTES:
        return "utter_handoff_queued_long"
    return "utter_handoff_queued"


class ActionRequestHuman(NamedAction):
    """The person asks for a human."""

    NAME = "action_request_human"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: Domain) -> Events:
        return await request_handoff(dispatcher, tracker, NORMAL_PRIORITY)


class ActionLeaveQueue(NamedAction):
    """The person stops waiting and goes on with the bot."""

    NAME = "action_leave_queue"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: Domain) -> Events:
        try:
            left = await handoff_queue.leave_queue(tracker.sender_id)
        except HandoffUnavailable as error:
            logger.warning("handoff.store_unavailable", extra={"error": str(error)})
            left = False
        dispatcher.utter_message(response="utter_handoff_left" if left else "utter_how_can_i_help")
        dispatcher.utter_message(json_message=_status_signal("bot"))
        return [SlotSet("handoff_status", None)]


class ActionRateConversation(NamedAction):
    """Keep the 1-5 star rating the person gives after a counsellor handed back."""

    NAME = "action_rate_conversation"

    async def run(self, dispatcher: Dispatcher, tracker: Tracker, domain: Domain) -> Events:
        try:
            stars = int(latest_entity(tracker, "rating"))
        except (TypeError, ValueError):
            stars = 0
        if not 1 <= stars <= 5:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        try:
            await handoff_queue.rate_conversation(tracker.sender_id, stars)
        except HandoffUnavailable as error:
            logger.warning("handoff.store_unavailable", extra={"error": str(error)})
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return []
