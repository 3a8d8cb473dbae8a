"""The embedded set-up's event broker: Rasa's events into a SQLite table, written off the
event loop, for the statistics consumer to count and delete. No server needed.

Rasa loads it by dotted path (``bot/endpoints.yml``, ``type: analytics.local_broker.
SQLiteEventBroker``); it is the one module of ``analytics/`` that imports Rasa, and the
consumer never imports it. The table has the shape of Rasa's own SQL event broker
(``events``: id, sender_id, data), whose ``publish`` writes and commits each event on
Rasa's event loop: 13-20 ms an event on this machine, some eight events a message. Here
``publish`` only queues the event; one task writes what is queued in one transaction in a
worker thread, in order. WAL and ``synchronous=NORMAL``: a crash of the process loses
nothing written, a power cut may lose the last few events (statistics, not transcripts).
"""

from __future__ import annotations

import asyncio
import json
import logging
from asyncio import AbstractEventLoop
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, event, insert
from sqlalchemy.engine import Engine

import database

logger = logging.getLogger(__name__)

metadata = MetaData()
events_table = Table(
    "events",  # as Rasa's SQLEventBroker: one row per event, deleted once counted
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("data", Text),
)


def _fast_commits(dbapi_connection: Any, _record: Any = None) -> None:
    dbapi_connection.execute("PRAGMA journal_mode = WAL")
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")
    dbapi_connection.execute("PRAGMA busy_timeout = 5000")


def events_engine(db: str) -> Engine:
    """An engine on the events file, with the table made when missing."""
    engine = database.create_engine(f"sqlite:///{db}")
    event.listen(engine, "connect", _fast_commits)
    metadata.create_all(engine)
    return engine


class SQLiteEventBroker(EventBroker):
    """Queues Rasa's events and writes them to the ``events`` table of ``db`` in batches."""

    def __init__(self, db: str) -> None:
        self.engine = events_engine(db)
        self._pending: list[dict[str, Any]] = []
        self._writer: asyncio.Task | None = None

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> SQLiteEventBroker:
        return cls(db=broker_config.kwargs["db"])

    def publish(self, event: dict[str, Any]) -> None:
        """Queue ``event``; the writer task takes it within the event loop's next turn."""
        self._pending.append(event)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_pending())

    async def _write_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await asyncio.to_thread(self._write, batch)
            except Exception as error:  # statistics must never stop a conversation
                logger.warning(
                    "statistics.events_not_written", extra={"error": type(error).__name__}
                )

    def _write(self, batch: list[dict[str, Any]]) -> None:
        rows = [{"sender_id": e.get("sender_id"), "data": json.dumps(e)} for e in batch]
        with self.engine.begin() as conn:
            conn.execute(insert(events_table), rows)

    async def close(self) -> None:
        """Write what is still queued."""
        if self._writer is not None:
            await self._writer
        await self._write_pending()
        self.engine.dispose()
