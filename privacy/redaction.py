"""Redact personal details from what a person typed: contact details, ids, numbers."""

from __future__ import annotations

import re

# Most specific first: an e-mail address contains text that looks like a handle.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE), "[link]"),
    (re.compile(r"\bBE\s?\d{2}(?:\s?\d{4}){3}\b", re.IGNORECASE), "[rekeningnummer]"),
    (re.compile(r"\b\d{2}[.\s]?\d{2}[.\s]?\d{2}[-\s]?\d{3}[.\s]?\d{2}\b"), "[rijksregisternummer]"),
    (re.compile(r"(?:\+|00)\d[\d\s./-]{7,}\d"), "[telefoonnummer]"),
    (re.compile(r"\b0\d(?:[\s./-]?\d){7,8}\b"), "[telefoonnummer]"),
    (re.compile(r"(?<!\w)@\w{3,}"), "[gebruikersnaam]"),
    (re.compile(r"\b\d{5,}\b"), "[nummer]"),
)


def redact(text: str) -> str:
    """The text with e-mail addresses, links, phone, account and id numbers replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
