"""Redact personal data from what a person typed, before anything stores or shows it.

Each kind of data becomes a typed placeholder (``<telefoon>``, ``<email>`` ...). The text is
normalised first (NFKC, so full-width digits become digits; invisible format characters
such as soft hyphens and zero-width spaces removed), then every finder proposes spans and
the earlier finder wins where two overlap. Numbers with a checksum (national register
number, IBAN) are only redacted when the checksum holds, so that "5de jaar", "2
loopbaancheques" or "bus 12" stay as they are; helplines are never redacted, and a caller
may protect more spans (the red flags, read before redaction).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from privacy.numbers import (
    HELPLINES,
    find_ibans,
    find_national_numbers,
    find_phone_numbers,
    find_plates,
)
from privacy.people import find_birth_dates, find_contacts, find_names, find_schools
from privacy.places import find_addresses, find_postcodes

PLACEHOLDERS = (
    "<email>",
    "<url>",
    "<iban>",
    "<rijksregisternummer>",
    "<telefoon>",
    "<geboortedatum>",
    "<adres>",
    "<postcode>",
    "<naam>",
    "<handle>",
    "<nummerplaat>",
    "<school>",
)

__all__ = ["HELPLINES", "PLACEHOLDERS", "normalise", "placeholders_in", "redact"]

Span = tuple[int, int, str]

# In order of trust: where two finders claim the same characters, the earlier one wins.
_FINDERS: tuple[Callable[[str], Iterator[Span]], ...] = (
    find_contacts,
    find_ibans,
    find_national_numbers,
    find_phone_numbers,
    find_birth_dates,
    find_plates,
    find_schools,
    find_addresses,
    find_postcodes,
    find_names,
)


def normalise(text: str) -> str:
    """NFKC-normalised text without invisible format characters (soft hyphen, zero width)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


# Kinds found by the words around them, which may take a word of a red flag ("I'm Done with
# it all" reads as an introduction); the other kinds have a shape or checksum of their own.
_WORD_KINDS = frozenset({"<naam>", "<adres>", "<school>", "<geboortedatum>"})


def redact(text: str, signal: Callable[[str], bool] | None = None) -> str:
    """The normalised text with every kind of personal data replaced by its placeholder.

    ``signal`` tells whether a text holds a red flag. The red flags are read before
    redaction: when the text holds one and the redacted text no longer does, the kinds
    found by the words around them are left out, so that the crisis stays visible.
    """
    text = normalise(text)
    chosen = _spans(text)
    redacted = _replace(text, chosen)
    if signal is not None and redacted != text and signal(text) and not signal(redacted):
        redacted = _replace(text, [span for span in chosen if span[2] not in _WORD_KINDS])
    return redacted


def _spans(text: str) -> list[Span]:
    """Every finder's spans; where two overlap, the earlier finder's."""
    taken: list[tuple[int, int]] = []
    chosen: list[Span] = []
    for finder in _FINDERS:
        for start, end, placeholder in finder(text):
            if start < end and not any(start < e and s < end for s, e in taken):
                taken.append((start, end))
                chosen.append((start, end, placeholder))
    return chosen


def _replace(text: str, chosen: Iterable[Span]) -> str:
    pieces, last = [], 0
    for start, end, placeholder in sorted(chosen):
        pieces.append(text[last:start])
        pieces.append(placeholder)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def placeholders_in(text: str) -> list[str]:
    """The placeholders in a redacted text, in order (for the corpus report)."""
    return re.findall("|".join(re.escape(p) for p in PLACEHOLDERS), text)
