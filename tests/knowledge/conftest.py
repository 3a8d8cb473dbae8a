"""The knowledge store built once per database engine: SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from knowledge.build import build_store
from knowledge.store import make_engine, make_session_factory
from tests.databases import database_url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def store_url(request, tmp_path_factory) -> str:
    url = database_url(request.param, tmp_path_factory)
    build_store(url, force=True)
    return url


@pytest.fixture
def session(store_url):
    engine = make_engine(store_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()
