"""Sessions on the knowledge store for the action server.

The engine is made on first use, not at import (rasa_sdk imports every action module at
start-up). Any database failure becomes KnowledgeUnavailable, so that an action can
answer that the information cannot be looked up right now.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from database import knowledge_sessions


class KnowledgeUnavailable(RuntimeError):
    """The knowledge store cannot be reached or read right now."""


@contextmanager
def store_session() -> Iterator[Session]:
    """A short read session; database errors surface as KnowledgeUnavailable."""
    try:
        with knowledge_sessions()() as session:
            yield session
    except SQLAlchemyError as error:
        raise KnowledgeUnavailable(type(error).__name__) from error
