"""The handoff store's schema comes from the Alembic migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

import database
from handoff.models import Base
from handoff.schema import alembic_config, upgrade
from ops.scaled_setup import recreate_database
from settings import PROJECT_DIR
from tests.databases import postgres_url

HEAD = "0002"
TABLES = {"counsellors", "handoff_conversations", "counsellor_sessions", "handoff_notes",
          "handoff_audit"}  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'handoff.db'}"
    # A database of its own, named after the test database (so that test runs on other
    # test databases do not drop it): the test database holds these tables already.
    test_database = make_url(postgres_url())
    url = test_database.set(database=f"{test_database.database}_schema")
    return recreate_database(url.render_as_string(hide_password=False))


@pytest.fixture
def empty_engine(empty_url):
    with database.opened(empty_url) as engine:
        yield engine


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
    assert _version(empty_engine) == HEAD


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
    assert _version(empty_engine) == HEAD


def test_several_migrate_commands_at_once_migrate_once(empty_url, empty_engine):
    """Separate processes, as when two launchers or an operator's command start together."""
    command = [sys.executable, "-m", "handoff", "migrate", "--url", empty_url]
    runs = [subprocess.Popen(command, cwd=PROJECT_DIR, stderr=subprocess.PIPE) for _ in range(3)]
    errors = [run.communicate(timeout=120)[1].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], errors
    assert _version(empty_engine) == HEAD


def test_opening_an_engine_or_a_session_never_migrates(empty_url):
    with database.sessions(empty_url)() as session:
        session.connection()
    assert not inspect(database.engine(empty_url)).get_table_names()
    database.dispose_engines()


def _first_revision_without_alembic(engine) -> None:
    """The tables as the store had them before Alembic: revision 0001's, unversioned."""
    with engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(text("DROP TABLE alembic_version"))
        conn.commit()


def test_a_store_made_before_the_migrations_is_stamped_not_rebuilt(empty_engine):
    _first_revision_without_alembic(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO counsellors (username, password_hash, created_at) "
                 "VALUES ('ann', 'x', CURRENT_TIMESTAMP)")
        )  # fmt: skip
    upgrade(empty_engine)
    assert _version(empty_engine) == HEAD
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT username FROM counsellors")).scalars().all() == ["ann"]


def test_the_second_revision_keeps_accounts_and_sessions(empty_engine):
    """Accounts of revision 0001 become counsellors; their sessions' idle time starts at
    their last request."""
    with empty_engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(
            text("INSERT INTO counsellors (id, username, password_hash, created_at) "
                 "VALUES (1, 'ann', 'x', '2026-12-01 10:00:00')")
        )  # fmt: skip
        conn.execute(
            text("INSERT INTO counsellor_sessions (token_hash, counsellor_id, csrf_token, "
                 "last_seen) VALUES ('h', 1, 'c', '2026-12-01 10:05:00')")
        )  # fmt: skip
        conn.commit()
    upgrade(empty_engine)
    assert _version(empty_engine) == HEAD
    with empty_engine.connect() as conn:
        account = conn.execute(text("SELECT role, disabled FROM counsellors")).one()
        session = conn.execute(text("SELECT last_seen, last_action FROM counsellor_sessions")).one()
    assert account[0] == "counsellor" and not account[1]
    assert str(session[0]) == str(session[1])
