"""The handoff store's schema comes from the Alembic migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import database
from handoff.models import Base
from handoff.schema import upgrade
from ops.scaled_setup import recreate_database
from tests.databases import postgres_url

TABLES = {"counsellors", "handoff_conversations", "counsellor_sessions", "handoff_notes",
          "handoff_audit"}  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = database.create_engine(f"sqlite:///{tmp_path / 'handoff.db'}")
    else:  # a database of its own: the shared test database holds these tables already
        server = postgres_url().rsplit("/", 1)[0]
        engine = database.create_engine(recreate_database(f"{server}/wegwijzer_schema_test"))
    yield engine
    engine.dispose()


def _ours(item, name, type_, reflected, compare_to) -> bool:
    """Only the handoff store's tables: the test database holds others too."""
    table = item if type_ == "table" else getattr(item, "table", None)
    return table is not None and table.name in TABLES


def _version(engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_the_migrations_create_exactly_the_tables_of_the_models(empty_engine):
    upgrade(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) >= TABLES
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []  # a model change without a migration fails here
    assert _version(empty_engine) == "0001"


def test_several_processes_starting_at_once_migrate_once(empty_engine):
    errors = []

    def start() -> None:
        try:
            upgrade(empty_engine)
        except Exception as error:  # collected: the assertion shows it
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _version(empty_engine) == "0001"


def test_a_store_made_before_the_migrations_is_stamped_not_rebuilt(empty_engine):
    Base.metadata.create_all(empty_engine)  # how the store was made before Alembic
    with empty_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO counsellors (username, password_hash, created_at) "
                 "VALUES ('ann', 'x', CURRENT_TIMESTAMP)")
        )  # fmt: skip
    upgrade(empty_engine)
    assert _version(empty_engine) == "0001"
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT username FROM counsellors")).scalars().all() == ["ann"]
