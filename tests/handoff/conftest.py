"""A clean handoff store per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

import database
from tests.databases import database_url, fresh_handoff_store


@pytest.fixture(params=["sqlite", "postgresql"])
def handoff_url(request, tmp_path_factory) -> str:
    url = database_url(request.param, tmp_path_factory)
    fresh_handoff_store(url)
    return url


@pytest.fixture
def sessions(handoff_url):
    with database.opened(handoff_url) as engine:
        yield database.session_factory(engine)
