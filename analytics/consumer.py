"""The statistics consumer: events in from the broker, counted into the statistics database;
ended conversations added to their hourly cells every half minute.

``python -m analytics consume`` runs it; the launcher starts it beside the servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import secrets
import signal
from dataclasses import dataclass
from pathlib import Path

import database
from analytics.metrics import Metrics
from analytics.sources import Event, consume_rabbitmq, consume_table
from analytics.store import BatchResult, Hasher, close_ended_conversations, record_events
from privacy.channel_ids import ChannelIdKeys
from settings import Settings

logger = logging.getLogger(__name__)

CLOSE_EVERY_S = 30.0


def statistics_keys(settings: Settings) -> ChannelIdKeys:
    """The keys of the statistics' hashes: ID_HASH_KEY's when it is set, else a random key
    made once and kept in ``VAR_DIR/statistics.key`` (readable by its owner only), so that an
    event delivered again after a restart still has the same fingerprint."""
    if settings.id_hash_key:
        return ChannelIdKeys.from_setting(settings.id_hash_key)
    path = Path(settings.var_dir) / "statistics.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(32))
    return ChannelIdKeys.from_setting(path.read_text().strip())


@dataclass
class Consumer:
    """Counts batches of events into the statistics database at ``url``."""

    url: str
    hasher: Hasher
    metrics: Metrics | None = None

    def record(self, events: list[Event]) -> BatchResult:
        with database.sessions(self.url).begin() as session:
            result = record_events(session, self.hasher, events)
        if self.metrics is not None:
            self.metrics.batch_counted(result)
        return result

    async def handle(self, events: list[Event]) -> None:
        try:
            await asyncio.to_thread(self.record, events)
        except Exception:
            self._failed("statistics_batch_failed")
            raise

    def _failed(self, kind: str) -> None:
        if self.metrics is not None:
            self.metrics.failed(kind)

    def close_ended(self, now: dt.datetime | None = None) -> int:
        with database.sessions(self.url).begin() as session:
            return close_ended_conversations(session, now or dt.datetime.utcnow())

    async def close_periodically(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.to_thread(self.close_ended)
            except Exception as error:  # the database is away: next time
                logger.warning("statistics.close_failed", extra={"error": type(error).__name__})
                self._failed("statistics_close_failed")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), CLOSE_EVERY_S)


async def run(settings: Settings, stop: asyncio.Event, consumer: Consumer | None = None) -> None:
    """Consume until ``stop`` is set: RabbitMQ in the scaled set-up, else the embedded
    set-up's event table; with the metrics on METRICS_PORT (0: none)."""
    metrics = None
    if consumer is None:
        metrics = Metrics(settings.handoff_url)
        if settings.metrics_port:
            metrics.serve(settings.metrics_port)
        consumer = Consumer(settings.statistics_url, Hasher(statistics_keys(settings)), metrics)
    closing = asyncio.create_task(consumer.close_periodically(stop))
    try:
        if settings.scaled:
            await consume_rabbitmq(
                settings.rabbitmq_url, consumer.handle, stop, queue=settings.statistics_queue
            )
        else:
            await consume_table(settings.events_url, consumer.handle, stop)
    finally:
        stop.set()
        await closing
        if metrics is not None:
            metrics.close()
        database.dispose_engines()


def main(settings: Settings) -> int:
    """Run the consumer until SIGINT or SIGTERM."""

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await run(settings, stop)

    asyncio.run(serve())
    return 0
