"""Engines and sessions for every store: the knowledge store, the handoff store and Rasa's
tracker database (read by retention).

A server process looks its engine up here: one engine per process and URL, made on first
use (never at import: rasa_sdk imports every action module at start-up) and kept until
:func:`dispose_engines`. A job that runs once (a build, a migration, an account) opens an
engine of its own with :func:`opened` and closes it when done. Work is done in short
sessions, one per unit of work (``with sessions(url).begin() as session:``); async code
runs its unit of work with :func:`in_transaction`, in a worker thread, so that the event
loop is never blocked by the database.

SQLite overwrites what it deletes (``PRAGMA secure_delete``) on every engine made here, and,
once :func:`overwrite_deleted_rows_everywhere` ran (the channels call it when Rasa starts),
on Rasa's own tracker store too.

Opening an engine never changes a schema: the handoff store is migrated by its own step
(``python -m handoff migrate``, run by the launcher before the servers start).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from settings import load_settings

T = TypeVar("T")

_lock = threading.RLock()
_engines: dict[str, Engine] = {}
_sessions: dict[str, sessionmaker[Session]] = {}


def _overwrite_deleted_rows(dbapi_connection: Any, _record: Any = None) -> None:
    """A SQLite connection overwrites what it deletes (``secure_delete``): a purged or
    erased conversation cannot be read back from the file's free pages."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA secure_delete = ON")


def overwrite_deleted_rows_everywhere() -> None:
    """Every SQLite engine of this process overwrites what it deletes, also the engines the
    project does not make (Rasa's tracker store); called at start-up, once is enough."""
    if not event.contains(Engine, "connect", _overwrite_deleted_rows):
        event.listen(Engine, "connect", _overwrite_deleted_rows)


def create_engine(url: str) -> Engine:
    """A new engine on ``url``, owned by the caller, who disposes of it.

    SQLite connections are opened per use (NullPool), so a rebuilt knowledge store file is
    picked up by the running assistant at once; foreign keys are enforced as on PostgreSQL,
    and deleted rows are overwritten. Server connections are checked before use, so a
    restarted server is reconnected to.
    """
    if url.startswith("sqlite"):
        engine = sqlalchemy.create_engine(url, future=True, poolclass=NullPool)

        @event.listens_for(engine, "connect")
        def _enforce_foreign_keys(dbapi_connection, _record) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        event.listen(engine, "connect", _overwrite_deleted_rows)
        return engine
    return sqlalchemy.create_engine(url, future=True, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Short sessions on ``engine``, one per unit of work; rows stay readable after commit."""
    return sessionmaker(engine, future=True, expire_on_commit=False)


@contextmanager
def opened(url: str) -> Iterator[Engine]:
    """An engine for a job that runs once, disposed of when the job is done."""
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def engine(url: str) -> Engine:
    """This process's engine on ``url``: made on first use, shared by every thread."""
    with _lock:
        found = _engines.get(url)
        if found is None:
            found = _engines[url] = create_engine(url)
        return found


def sessions(url: str) -> sessionmaker[Session]:
    """This process's session factory on ``url`` (on :func:`engine`)."""
    with _lock:
        found = _sessions.get(url)
        if found is None:
            found = _sessions[url] = session_factory(engine(url))
        return found


def knowledge_sessions() -> sessionmaker[Session]:
    """Sessions on the knowledge store: DATABASE_URL, else the SQLite file."""
    return sessions(load_settings().knowledge_url)


def handoff_sessions() -> sessionmaker[Session]:
    """Sessions on the handoff store (queue, accounts): DATABASE_URL, else its SQLite file."""
    return sessions(load_settings().handoff_url)


async def in_transaction(
    factory: sessionmaker[Session], work: Callable[..., T], *args: Any, **kwargs: Any
) -> T:
    """Run ``work(session, *args, **kwargs)`` in one short transaction, off the event loop."""

    def run() -> T:
        with factory.begin() as session:
            return work(session, *args, **kwargs)

    return await asyncio.to_thread(run)


def dispose_engines() -> None:
    """Close every engine of this process (at shutdown, and between tests)."""
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
        _sessions.clear()
    for each in engines:
        each.dispose()
