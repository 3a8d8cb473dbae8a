"""The knowledge store built once per database engine: SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

import database
from knowledge.build import build_store
from tests.databases import database_url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def store_url(request, tmp_path_factory) -> str:
    url = database_url(request.param, tmp_path_factory)
    build_store(url, force=True)
    return url


@pytest.fixture
def session(store_url):
    with database.opened(store_url) as engine, database.session_factory(engine)() as session:
        yield session
