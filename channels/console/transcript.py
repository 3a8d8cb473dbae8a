"""Turn a Rasa tracker into what a counsellor reads: redacted messages and the summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from channels.console.rasa_api import COUNSELLOR
from channels.console.texts import TEXTS
from privacy.redaction import redact


def _time(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).isoformat(timespec="seconds")


def transcript(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """Messages in order: from ``person``, ``bot`` or ``counsellor``; user text redacted."""
    messages = []
    for event in tracker.get("events", []):
        kind = event.get("event")
        if kind == "user":
            text = event.get("text") or ""
            if text.startswith("/"):  # a button: show its title-free intent name
                text = TEXTS.transcript.button.format(intent=text[1:].split("{")[0])
            messages.append(
                {"from": "person", "text": redact(text), "at": _time(event.get("timestamp"))}
            )
        elif kind == "bot" and event.get("text"):
            custom = (event.get("data") or {}).get("custom") or {}
            sender = COUNSELLOR if custom.get("from") == COUNSELLOR else "bot"
            messages.append(
                {"from": sender, "text": event["text"], "at": _time(event.get("timestamp"))}
            )
    return messages
