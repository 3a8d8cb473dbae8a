"""Turn a Rasa tracker into what a counsellor reads: redacted messages and the summary."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from channels.console.rasa_api import COUNSELLOR
from channels.console.texts import TEXTS
from privacy.redaction import redact


def _time(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).isoformat(timespec="seconds")


def button_label(payload: str) -> str:
    """A pressed button (``/intent{"entity": "value"}``) in words for the counsellor:
    never the intent name or a slot value."""
    intent, brace, rest = payload[1:].partition("{")
    try:
        entities = json.loads(brace + rest) if brace else {}
    except ValueError:
        entities = {}
    entities = entities if isinstance(entities, dict) else {}
    labels, texts = TEXTS.labels, TEXTS.transcript
    if intent in labels.topics:
        label = labels.topic(intent)
    elif intent in texts.buttons:
        language = str(entities.get("language") or "")
        label = texts.buttons[intent].format(
            user_group=labels.group(entities.get("user_group")),
            rating=str(entities.get("rating") or "?"),
            language=TEXTS.summary.languages.get(language, TEXTS.summary.languages["other"]),
        )
    else:
        label = texts.other_button
    return texts.button.format(label=label)


def transcript(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """Messages in order: from ``person``, ``bot`` or ``counsellor``; user text redacted."""
    messages = []
    for event in tracker.get("events", []):
        kind = event.get("event")
        if kind == "user":
            text = event.get("text") or ""
            if text.startswith("/"):  # a button
                text = button_label(text)
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
