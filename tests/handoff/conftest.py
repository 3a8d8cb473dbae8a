"""A clean handoff store per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

import database
from handoff.models import Base
from handoff.store import make_handoff_engine
from tests.databases import database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def handoff_url(request, tmp_path_factory) -> str:
    url = database_url(request.param, tmp_path_factory)
    engine = make_handoff_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def sessions(handoff_url):
    engine = make_handoff_engine(handoff_url)
    yield database.session_factory(engine)
    engine.dispose()
