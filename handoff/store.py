"""Connect to the handoff store: the same database settings as the rest of the assistant."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from handoff.models import Base
from knowledge.store import make_engine
from settings import load_settings


def handoff_url() -> str:
    """DATABASE_URL, else a SQLite file of its own (the knowledge file is swapped on rebuild)."""
    return load_settings().handoff_url


def make_handoff_engine(url: str | None = None) -> Engine:
    """An engine on the handoff store whose tables exist."""
    engine = make_engine(url or handoff_url())
    Base.metadata.create_all(engine)
    return engine
