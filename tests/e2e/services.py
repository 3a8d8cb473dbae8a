"""Stop and start this machine's PostgreSQL and Redis servers, for the fault tests.

The commands are the ones that start the services on this kind of machine
(/work/.library/env). Tests that use them always start the service again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from settings import load_suite_settings

REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


def _postgres_version() -> str | None:
    versions = sorted(Path("/etc/postgresql").glob("*")) if Path("/etc/postgresql").exists() else []
    return versions[-1].name if versions else None


def require_service_control() -> None:
    """Skip unless this process may stop and start the machine's servers; fail instead when
    Redis is required (CI=true or REQUIRE_REDIS), as these tests are the Redis fault tests."""
    problem = None
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster") or not shutil.which("redis-server"):
        problem = "needs root and the machine's pg_ctlcluster and redis-server"
    elif _postgres_version() is None:
        problem = "no PostgreSQL cluster in /etc/postgresql"
    if problem and load_suite_settings().redis_required:
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)


def _pg_ctl(action: str) -> None:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", _postgres_version(), "main", action]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def stop_postgres() -> None:
    _pg_ctl("stop")


def start_postgres(url: str, timeout: float = 30.0) -> None:
    """Start the cluster (when it is down) and wait until ``url`` answers."""
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", _postgres_version(), "main", "start"],
        capture_output=True,
        timeout=60,
    )  # exits non-zero when it runs already
    engine = create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                return
            except OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        engine.dispose()


def stop_redis() -> None:
    redis.Redis(host="127.0.0.1", port=6379).shutdown(nosave=True)


def start_redis(timeout: float = 15.0) -> None:
    """Start Redis (when it is down) and wait until it answers."""
    client = redis.Redis(host="127.0.0.1", port=6379)
    try:
        client.ping()
        return
    except redis.ConnectionError:
        pass
    subprocess.run(REDIS_START, check=True, capture_output=True, timeout=30)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.ping()
            return
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
