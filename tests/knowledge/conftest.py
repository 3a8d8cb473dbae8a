"""The knowledge store built once per database engine: SQLite and PostgreSQL."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from knowledge.build import build_store
from knowledge.store import make_engine, make_session_factory

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_reachable() -> str | None:
    engine = make_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as error:  # the reason is shown in the skip message
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {error.__class__.__name__}"
    finally:
        engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def store_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'knowledge.db'}"
    else:
        reason = _postgres_reachable()
        if reason and os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(reason)
        if reason:
            pytest.skip(reason)
        url = POSTGRES_URL
    build_store(url, force=True)
    return url


@pytest.fixture
def session(store_url):
    engine = make_engine(store_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()
