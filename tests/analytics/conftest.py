"""A clean statistics database per test, on SQLite and on PostgreSQL, and Rasa-shaped
events of made-up conversations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.engine import make_url

import database
from analytics.models import Base
from analytics.store import Hasher
from ops.scaled_setup import ensure_database
from privacy.channel_ids import ChannelIdKeys
from tests.databases import database_url


def statistics_database(kind: str, tmp_path_factory) -> str:
    """An empty statistics database: a SQLite file, or PostgreSQL's test_statistics."""
    url = database_url(kind, tmp_path_factory)
    if kind == "postgresql":
        url = make_url(url).set(database="test_statistics").render_as_string(hide_password=False)
        ensure_database(url)
    with database.opened(url) as engine:
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def statistics_url(request, tmp_path_factory) -> str:
    return statistics_database(request.param, tmp_path_factory)


@pytest.fixture
def sessions(statistics_url):
    with database.opened(statistics_url) as engine:
        yield database.session_factory(engine)


@pytest.fixture
def hasher() -> Hasher:
    return Hasher(ChannelIdKeys.from_setting("k" * 40))


START = dt.datetime(2026, 3, 2, 9, 15)


class Conversation:
    """Rasa's events of one conversation, as its tracker store streams them."""

    def __init__(self, sender: str, start: dt.datetime = START, channel: str = "widget") -> None:
        self.sender, self.at, self.channel = sender, start, channel
        self.events: list[dict[str, Any]] = []

    def _add(self, event: dict[str, Any], after_s: float = 1.0) -> Conversation:
        self.at += dt.timedelta(seconds=after_s)
        stamp = self.at.replace(tzinfo=dt.timezone.utc).timestamp()
        self.events.append({"sender_id": self.sender, "timestamp": stamp, **event})
        return self

    def says(self, text: str, intent: str, entities: list | None = None, after_s: float = 5):
        return self._add(
            {"event": "user", "text": text, "input_channel": self.channel,
             "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                            "entities": entities or [], "text": text}},
            after_s,
        )  # fmt: skip

    def action(self, name: str):
        return self._add({"event": "action", "name": name}, 0.1)

    def bot(self, text: str, response: str | None = None):
        return self._add(
            {
                "event": "bot",
                "text": text,
                "metadata": {"utter_action": response} if response else {},
            },
            0.1,
        )

    def slot(self, name: str, value: Any, after_s: float = 0.1):
        return self._add({"event": "slot", "name": name, "value": value}, after_s)

    def pause(self, after_s: float):
        return self._add({"event": "pause"}, after_s)

    def resume(self, after_s: float):
        return self._add({"event": "resume"}, after_s)


def asking_for_help(sender: str, start: dt.datetime = START, wait_s: float = 240) -> Conversation:
    """A pupil asks about studies, is not understood once, asks for a human, waits
    ``wait_s``, talks with a counsellor, rates 4 stars."""
    c = Conversation(sender, start)
    c.action("action_session_start").slot("language", "nl")
    c.says("ik zit in 6de jaar aso", "inform_user_group").slot("user_group", "leerling_secundair")
    c.says("wa moet ik studeren", "study_choice_higher").slot("topic", "study_choice_higher")
    c.bot("Hier vind je ...", "utter_study_choice_higher")
    c.says("bla bla", "nlu_fallback").action("action_handle_fallback")
    c.bot("Bedoel je ...?", "utter_did_you_mean")
    c.says("ik wil met iemand praten", "ask_human").action("action_request_human")
    c.slot("handoff_priority", "normal").slot("handoff_status", "queued")
    c.pause(wait_s).slot("handoff_status", "with_counsellor", 0)
    c.says("hallo?", "greet", after_s=30)
    c.resume(600).slot("handoff_status", None, 0)
    c.says("/rate_conversation", "rate_conversation", [{"entity": "rating", "value": "4"}])
    return c
