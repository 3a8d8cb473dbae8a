"""The servers tests run on: a SQLite file, and this machine's PostgreSQL and Redis.

A missing server skips the tests that need it, with the reason; under CI=true (or
REQUIRE_POSTGRES / REQUIRE_REDIS, as `.ci/run` sets) it fails them instead.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

import database
from handoff.models import Base as HandoffBase
from handoff.schema import migrate
from settings import load_suite_settings


def _postgres_problem(url: str) -> str | None:
    try:
        with database.opened(url) as engine, engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as error:  # the reason is shown in the skip message
        return f"PostgreSQL at {url} is not reachable: {error.__class__.__name__}"


def postgres_url() -> str:
    """The PostgreSQL URL; skip with the reason when unreachable (fail when required)."""
    suite = load_suite_settings()
    problem = _postgres_problem(suite.postgres_url)
    if problem and suite.postgres_required:
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)
    return suite.postgres_url


def require_redis() -> None:
    """Skip unless this machine's Redis (127.0.0.1:6379) answers; fail when it is required."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        problem = f"no Redis on 127.0.0.1:6379: {error.__class__.__name__}"
        if load_suite_settings().redis_required:
            pytest.fail(problem)
        pytest.skip(problem)
    finally:
        client.close()


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
