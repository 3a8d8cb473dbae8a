"""The handoff store's schema, created and upgraded with Alembic (handoff/migrations/).

Migrating is a step of its own at start-up: ``python -m handoff migrate``, which the
launcher runs before it starts the servers (and the tests' fixtures run on their stores);
opening an engine never changes the schema. Several processes may migrate at once (two
launchers, an operator's command): on PostgreSQL an advisory lock, on a SQLite file an
exclusive file lock lets one of them migrate while the others wait and then find nothing
left to do. A database made before the migrations existed (tables present, no
``alembic_version``) is stamped with the first revision, not rebuilt.

New revision after a change to handoff/models.py:
``alembic -c handoff/alembic.ini revision --autogenerate -m "what changed"``.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

import database

MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"
ADVISORY_LOCK = 0x68616E64  # "hand": one number for the handoff store's migrations


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the handoff store, on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextlib.contextmanager
def _one_at_a_time(engine: Engine, connection: Connection) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK})
            connection.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> None:
    """Bring the handoff store on ``engine`` to the latest revision."""
    with engine.connect() as connection, _one_at_a_time(engine, connection):
        tables = set(inspect(connection).get_table_names())
        config = alembic_config(connection)
        if "handoff_conversations" in tables and "alembic_version" not in tables:
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, "head")
        connection.commit()


def migrate(url: str) -> None:
    """Bring the handoff store at ``url`` to the latest revision (the start-up step)."""
    with database.opened(url) as engine:
        upgrade(engine)
