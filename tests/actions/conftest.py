"""Named tracker states as JSON fixtures, as in Rasa's financial-demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

TRACKERS = Path(__file__).parent / "trackers"


def load_tracker(name: str) -> Tracker:
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    return Tracker(
        sender_id=state["sender_id"],
        slots=state["slots"],
        latest_message=state["latest_message"],
        events=state["events"],
        paused=False,
        followup_action=None,
        active_loop=state["active_loop"],
        latest_action_name="action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def responses(dispatcher: CollectingDispatcher) -> list[str]:
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
    """Point the action server's store client at a real, built store."""
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
    """Counsellors answer around the clock unless a test rewrites this file; a clean queue."""
    from settings import load_settings
    from tests.databases import fresh_handoff_store

    path = tmp_path / "opening_hours.yml"
    path.write_text(ALWAYS_OPEN, encoding="utf-8")
    monkeypatch.setenv("OPENING_HOURS_FILE", str(path))
    fresh_handoff_store(load_settings().handoff_url)
    return path
