"""Connect to the knowledge store: SQLite by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from settings import load_settings


def database_url() -> str:
    """The store's SQLAlchemy URL from the environment."""
    return load_settings().knowledge_url


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: from the environment).

    SQLite connections are opened per use (NullPool), so a rebuilt store file is
    picked up by the running assistant at once.
    """
    url = url or database_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, future=True, poolclass=NullPool)

        @event.listens_for(engine, "connect")
        def _enforce_foreign_keys(dbapi_connection, _record) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Short sessions, one per unit of work."""
    return sessionmaker(engine, future=True, expire_on_commit=False)
