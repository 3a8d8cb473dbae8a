"""What every channel does to incoming text before Rasa sees it."""

from __future__ import annotations

import re
import unicodedata

MAX_MESSAGE_CHARS = 2000
TOO_LONG = "/message_too_long"
EMPTY = "/empty_message"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Normalised Unicode without control or direction characters; too long becomes a refusal."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()
    if not text:
        return EMPTY
    if len(text) > MAX_MESSAGE_CHARS:
        return TOO_LONG
    return text
