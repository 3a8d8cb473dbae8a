"""Named tracker states as JSON fixtures, as in Rasa's financial-demo, and real stores.

Each file in trackers/ is a tracker state as the action server receives it; a test runs
an action on it with a CollectingDispatcher and checks the exact events it returns and
the responses in ``dispatcher.messages``. The actions run on a real, built knowledge store
and an empty handoff store, on SQLite and on this machine's PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

TRACKERS = Path(__file__).parent / "trackers"


def load_tracker(name: str, sender_id: str | None = None, **slots: Any) -> Tracker:
    """The tracker state ``trackers/<name>.json``; another conversation id or slot values
    on top of it when given (one state, several people or user groups)."""
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    if sender_id is not None:
        state["sender_id"] = sender_id
    state["slots"] = {**state["slots"], **slots}
    return Tracker.from_dict(state)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> dict:
    return {}


def responses(dispatcher: CollectingDispatcher) -> list[str | None]:
    """``dispatcher.messages[i]["response"]`` of every message (None for a custom payload)."""
    return [message["response"] for message in dispatcher.messages]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def built_store_url(request, tmp_path_factory) -> str:
    """A real, built knowledge store on SQLite and on this machine's PostgreSQL."""
    from knowledge.build import build_store
    from tests.databases import database_url

    url = database_url(request.param, tmp_path_factory)
    build_store(url)
    return url


@pytest.fixture(autouse=True)
def knowledge_store(built_store_url, monkeypatch):
    """Point the action server's clients at a real, built store (DATABASE_URL)."""
    import database

    monkeypatch.setenv("DATABASE_URL", built_store_url)
    yield built_store_url
    database.dispose_engines()


ALWAYS_OPEN = "weekly:\n" + "".join(
    f"  {day}: ['00:00-24:00']\n"
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)


@pytest.fixture(autouse=True)
def opening_hours_file(tmp_path, monkeypatch, knowledge_store):
    """Counsellors answer around the clock unless a test rewrites this file; an empty
    handoff store, migrated as at start-up."""
    from settings import load_settings
    from tests.databases import fresh_handoff_store

    path = tmp_path / "opening_hours.yml"
    path.write_text(ALWAYS_OPEN, encoding="utf-8")
    monkeypatch.setenv("OPENING_HOURS_FILE", str(path))
    fresh_handoff_store(load_settings().handoff_url)
    return path


@pytest.fixture
def handoff_sessions():
    """Sessions on the handoff store the actions write to, to check what they wrote."""
    import database

    return database.handoff_sessions()
