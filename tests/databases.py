"""The databases tests run on: a SQLite file, and this machine's PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from knowledge.store import make_engine
from settings import load_suite_settings


def _postgres_problem(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as error:  # the reason is shown in the skip message
        return f"PostgreSQL at {url} is not reachable: {error.__class__.__name__}"
    finally:
        engine.dispose()


def postgres_url() -> str:
    """The PostgreSQL URL; skip with the reason when unreachable (fail when required:
    REQUIRE_POSTGRES or CI=true)."""
    suite = load_suite_settings()
    problem = _postgres_problem(suite.postgres_url)
    if problem and suite.postgres_required:
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)
    return suite.postgres_url


def database_url(kind: str, tmp_path_factory) -> str:
    """A database of ``kind`` (sqlite or postgresql) for one test session."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp(kind) / 'test.db'}"
    return postgres_url()
