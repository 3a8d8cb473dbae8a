"""Connect to the handoff store: the same database settings as the rest of the assistant."""

from __future__ import annotations

from sqlalchemy.engine import Engine

import database
from handoff.schema import upgrade
from settings import load_settings


def handoff_url() -> str:
    """DATABASE_URL, else a SQLite file of its own (the knowledge file is swapped on rebuild)."""
    return load_settings().handoff_url


def make_handoff_engine(url: str | None = None) -> Engine:
    """An engine on the handoff store, its schema at the latest migration."""
    engine = database.create_engine(url or handoff_url())
    upgrade(engine)
    return engine
