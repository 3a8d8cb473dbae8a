"""database.py: one engine per process and URL, short sessions, work off the event loop."""

from __future__ import annotations

import threading

import pytest
from rasa.core.run import configure_app
from rasa.core.tracker_store import SQLTrackerStore
from sanic import Sanic
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

import database
from channels.rest import RedactingRestInput
from settings import Settings


@pytest.fixture
def url(tmp_path):
    yield f"sqlite:///{tmp_path / 'store.db'}"
    database.dispose_engines()


def test_one_engine_and_one_session_factory_per_url(url, tmp_path):
    assert database.engine(url) is database.engine(url)
    assert database.sessions(url) is database.sessions(url)
    assert database.sessions(url).kw["bind"] is database.engine(url)
    assert database.engine(f"sqlite:///{tmp_path / 'other.db'}") is not database.engine(url)


def test_disposed_engines_are_made_anew_on_next_use(url):
    first = database.engine(url)
    database.dispose_engines()
    assert database.engine(url) is not first


def test_the_environment_names_the_stores(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'knowledge.db'}")
    knowledge, handoff = database.knowledge_sessions(), database.handoff_sessions()
    assert knowledge.kw["bind"].url.database == str(tmp_path / "knowledge.db")
    assert handoff.kw["bind"].url.database == str(tmp_path / "knowledge-handoff.db")
    database.dispose_engines()


def test_sqlite_enforces_foreign_keys_as_postgresql_does(url):
    with database.opened(url) as engine, engine.begin() as conn:
        conn.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))"))
    with pytest.raises(IntegrityError), database.opened(url) as engine, engine.begin() as conn:
        conn.execute(text("INSERT INTO child (parent_id) VALUES (1)"))


async def test_in_transaction_runs_in_a_worker_thread_and_commits(url):
    database.engine(url)  # made here, on the loop's thread: used from another
    with database.sessions(url).begin() as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))

    def work(session, value: int) -> int:
        session.execute(text("INSERT INTO t (x) VALUES (:x)"), {"x": value})
        return threading.get_ident()

    worker = await database.in_transaction(database.sessions(url), work, 7)
    assert worker != threading.get_ident()
    with database.sessions(url)() as session:
        assert session.execute(text("SELECT x FROM t")).scalars().all() == [7]


def _secure_delete(engine) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA secure_delete").scalar()


@pytest.fixture
def sqlite_keeps_deleted_rows():
    """SQLite as most builds come (this machine's Debian build overwrites by default): every
    new connection first turns ``secure_delete`` off, so only the project's setting turns it on."""

    def keep_deleted_rows(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA secure_delete = OFF")

    event.listen(Engine, "connect", keep_deleted_rows, insert=True)
    yield
    event.remove(Engine, "connect", keep_deleted_rows)


def test_sqlite_overwrites_deleted_rows_on_every_store(tmp_path, sqlite_keeps_deleted_rows):
    settings = Settings(rasa_port=5005, action_port=5055, rasa_token=None, var_dir=tmp_path,
                        model_path=None)  # fmt: skip
    try:
        for url in (settings.handoff_url, settings.tracker_url, settings.knowledge_url):
            assert _secure_delete(database.engine(url)) == 1, url
    finally:
        database.dispose_engines()


def test_rasa_tracker_store_overwrites_deleted_rows_once_a_channel_is_mounted(
    tmp_path, sqlite_keeps_deleted_rows
):
    Sanic.test_mode = True
    configure_app([RedactingRestInput()], enable_api=False)  # as Rasa starts
    store = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "rasa_tracker.db"))
    try:
        assert _secure_delete(store.engine) == 1
    finally:
        store.engine.dispose()
