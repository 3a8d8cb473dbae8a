"""The databases tests run on: a SQLite file, and this machine's PostgreSQL server."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

import database
from handoff.models import Base as HandoffBase
from handoff.schema import migrate

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_problem() -> str | None:
    try:
        with database.opened(POSTGRES_URL) as engine, engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as error:  # the reason is shown in the skip message
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {error.__class__.__name__}"


def postgres_url() -> str:
    """The PostgreSQL URL; skip with the reason when unreachable (fail under REQUIRE_POSTGRES)."""
    problem = _postgres_problem()
    if problem and os.environ.get("REQUIRE_POSTGRES"):
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)
    return POSTGRES_URL


def database_url(kind: str, tmp_path_factory) -> str:
    """A database of ``kind`` (sqlite or postgresql) for one test session."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp(kind) / 'test.db'}"
    return postgres_url()


def fresh_handoff_store(url: str) -> None:
    """An empty handoff store at ``url``, its schema made by the migration step."""
    with database.opened(url) as engine:
        HandoffBase.metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    migrate(url)
