"""Rasa's REST channel with redaction at the edge, still at ``/webhooks/rest/webhook``."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from channels.limits import EMPTY, TOO_LONG, clean_text
from privacy.redaction import redact


class RedactingRestInput(RestInput):
    """The standard synchronous REST channel; what the person typed is redacted first."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Request) -> str | None:
        text = super()._extract_message(req)
        if not isinstance(text, str):
            return text
        cleaned = clean_text(text)
        return cleaned if cleaned in (EMPTY, TOO_LONG) else redact(cleaned)

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None  # client metadata is never stored in the tracker
