"""A missing PostgreSQL, Redis or control of those servers skips tests, but fails them in CI."""

from __future__ import annotations

import pytest
import redis

from tests import databases
from tests.e2e import services


@pytest.fixture
def no_redis(monkeypatch):
    def refuse(self):
        raise redis.ConnectionError("refused")

    monkeypatch.setattr(redis.Redis, "ping", refuse)
    for variable in ("CI", "REQUIRE_REDIS", "REQUIRE_POSTGRES"):
        monkeypatch.delenv(variable, raising=False)


def test_missing_redis_skips_on_a_laptop(no_redis):
    with pytest.raises(pytest.skip.Exception, match="no Redis"):
        databases.require_redis()


@pytest.mark.parametrize(("variable", "value"), [("REQUIRE_REDIS", "1"), ("CI", "true")])
def test_missing_redis_fails_when_required(no_redis, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(pytest.fail.Exception, match="no Redis"):
        databases.require_redis()


def test_missing_service_control_skips_on_a_laptop(no_redis, monkeypatch):
    monkeypatch.setattr(services.os, "geteuid", lambda: 1000)
    with pytest.raises(pytest.skip.Exception, match="needs root"):
        services.require_service_control()


def test_missing_service_control_fails_when_redis_is_required(no_redis, monkeypatch):
    monkeypatch.setattr(services.os, "geteuid", lambda: 1000)
    monkeypatch.setenv("REQUIRE_REDIS", "1")
    with pytest.raises(pytest.fail.Exception, match="needs root"):
        services.require_service_control()


def test_missing_postgres_fails_when_required(monkeypatch):
    monkeypatch.setenv("TEST_POSTGRES_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="not reachable"):
        databases.postgres_url()
