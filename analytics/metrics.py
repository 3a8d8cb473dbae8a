"""The operator's metrics, for Prometheus: what the consumer counts, live, and the handoff
queue read at each scrape. No label names a person or a conversation: the labels are a
channel (one of a fixed few), a priority, a kind of error and a result.

Served by the consumer on 127.0.0.1:METRICS_PORT (``/metrics``); like Rasa's HTTP API it is
never public.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.process_collector import ProcessCollector
from sqlalchemy import func, select

import database
from analytics.models import WAIT_BUCKETS
from analytics.store import BatchResult
from handoff.models import CRISIS, NORMAL, QUEUED, Conversation
from handoff.queue import utc_now

logger = logging.getLogger(__name__)

# The channels bot/credentials.yml registers (channels/rest.py, widget.py, telegram.py).
# Rasa's REST channel takes ``input_channel`` from the request body, so any other name is
# counted as "other": a label never holds what a client wrote.
CHANNELS = frozenset({"rest", "widget", "telegram"})
OTHER_CHANNEL = "other"


def channel_label(channel: str) -> str:
    """``channel`` when it is one of CHANNELS, else "other"."""
    return channel if channel in CHANNELS else OTHER_CHANNEL


class HandoffQueue:
    """The conversations waiting for a counsellor now, per priority: how many, and how long
    the longest has waited (no one is claimed at night, so the waiting-time histogram, which
    counts claims, stays silent). Read from the handoff store when Prometheus scrapes."""

    def __init__(self, handoff_url: str, errors: Counter) -> None:
        self.handoff_url = handoff_url
        self.errors = errors

    def _waiting(self) -> dict[str, tuple[int, float]]:
        with database.sessions(self.handoff_url)() as session:
            rows = session.execute(
                select(Conversation.priority, func.count(), func.min(Conversation.queued_at))
                .where(Conversation.status == QUEUED)
                .group_by(Conversation.priority)
            ).all()
        now = utc_now()
        waiting = {CRISIS: (0, 0.0), NORMAL: (0, 0.0)}
        for priority, count, first in rows:
            longest = max(0.0, (now - first).total_seconds()) if first is not None else 0.0
            waiting[priority] = (count, longest)
        return waiting

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            waiting = self._waiting()
        except Exception as error:  # the store is away: no figure rather than a wrong one
            logger.warning("metrics.queue_unreadable", extra={"error": type(error).__name__})
            self.errors.labels(kind="handoff_store_unreadable").inc()
            return
        length = GaugeMetricFamily(
            "wegwijzer_handoff_queue_length",
            "Conversations waiting for a counsellor now",
            labels=["priority"],
        )
        longest = GaugeMetricFamily(
            "wegwijzer_handoff_longest_wait_seconds",
            "How long the longest-waiting conversation has waited so far (0: none waits)",
            labels=["priority"],
        )
        for priority, (count, seconds) in sorted(waiting.items()):
            length.add_metric([priority], count)
            longest.add_metric([priority], seconds)
        yield length
        yield longest


class Metrics:
    """The consumer's metrics in a registry of their own."""

    def __init__(self, handoff_url: str) -> None:
        self.registry = CollectorRegistry()
        self.messages = self._counter("messages", "Messages people sent", ["channel"])
        self.fallbacks = self._counter("fallbacks", "Messages the assistant did not understand")
        self.clarifications = self._counter("clarifications", "'Bedoel je ...?' questions asked")
        self.handoff_requests = self._counter(
            "handoff_requests", "Conversations asking for a counsellor"
        )
        self.crisis_flags = self._counter("crisis_flags", "Conversations flagged as a crisis")
        self.errors = self._counter("errors", "Errors, by kind", ["kind"])
        self.events = self._counter("statistics_events", "Broker events read", ["result"])
        self.wait = Histogram(
            "wegwijzer_handoff_wait_seconds",
            "Time from joining the queue to a counsellor's claim",
            buckets=[bound for bound, _ in WAIT_BUCKETS],
            registry=self.registry,
        )
        self.registry.register(HandoffQueue(handoff_url, self.errors))
        ProcessCollector(registry=self.registry)
        self._server: WSGIServer | None = None

    def _counter(self, name: str, help_text: str, labels: list[str] | None = None) -> Counter:
        return Counter(f"wegwijzer_{name}", help_text, labels or [], registry=self.registry)

    def batch_counted(self, result: BatchResult) -> None:
        """Add what a counted batch held (called after its transaction committed)."""
        for channel, count in result.messages.items():
            self.messages.labels(channel=channel_label(channel)).inc(count)
        self.fallbacks.inc(result.fallbacks)
        self.clarifications.inc(result.clarifications)
        self.handoff_requests.inc(result.handoff_requests)
        self.crisis_flags.inc(result.crisis_flags)
        for seconds in result.waits:
            self.wait.observe(seconds)
        if result.errors:
            self.errors.labels(kind="store_unavailable_reply").inc(result.errors)
        self.events.labels(result="counted").inc(result.counted)
        self.events.labels(result="duplicate").inc(result.duplicates)

    def failed(self, kind: str) -> None:
        """Count an error of ``kind``: ``statistics_batch_failed`` (the statistics database
        refused a batch; it is tried again), ``statistics_close_failed`` (ended
        conversations not added to their cells; tried again in half a minute)."""
        self.errors.labels(kind=kind).inc()

    def serve(self, port: int) -> bool:
        """Serve /metrics on 127.0.0.1:``port``; False (and a warning) when the port is
        taken: the statistics go on without metrics."""
        try:
            self._server, _ = start_http_server(port, addr="127.0.0.1", registry=self.registry)
        except OSError as error:
            logger.warning("metrics.port_unavailable", extra={"error": type(error).__name__})
            return False
        return True

    def close(self) -> None:
        """Stop serving /metrics and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
