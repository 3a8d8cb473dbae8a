"""Numbers that point to a person: phone numbers, national numbers, IBANs and licence plates.

Phone numbers are found with ``phonenumbers`` (Google's libphonenumber: every grouping,
brackets, ``+32``/``0032`` and foreign numbers, with the validity rules of each country);
national and BIS numbers and IBANs are checked with ``python-stdnum``, so that a year, an
amount or "5de jaar" is never taken for one. Helplines and service numbers stay.
"""

from __future__ import annotations

from collections.abc import Iterator

import phonenumbers
import regex
from stdnum import iban
from stdnum.be import bis, nn

Span = tuple[int, int, str]

# Helplines and emergency numbers are never personal data, and "ik heb 1813 gebeld" is a
# crisis signal: the crisis lines of the knowledge store (knowledge/content/crisis_lines.yml,
# a test keeps them in this set), the emergency numbers and the European 116 lines.
HELPLINES = frozenset(
    {"112", "1813", "102", "106", "1712", "100", "101", "116000", "116111", "116123"}
)
# Free and paying service numbers (0800, 070, 078, 090x) belong to services, not people.
_SERVICE_PREFIXES = ("0800", "070", "078", "090", "+32800", "+3270", "+3278", "+3290")

_IBAN = regex.compile(r"\b[A-Z]{2}\d{2}(?:[ .-]?[A-Z0-9]){10,30}\b", regex.I)
_NATIONAL = regex.compile(
    r"(?<![\d])\d{2}[. /-]?\d{2}[. /-]?\d{2}[. /-]{0,3}\d{3}[. /-]{0,3}\d{2}(?!\d)"
)
# Belgian plates (1-ABC-123, with dashes, spaces or dots), and any plate after "nummerplaat".
_PLATE = regex.compile(
    r"(?<![\w-])(?:[1-9][-. ]?[A-Z]{3}[-. ]?\d{3}|[1-9]\s?-\s?[A-Za-z]{3}\s?-\s?\d{3})(?![\w-])"
    r"|(?<=\b(?:nummerplaat|nrplaat|plaat|kenteken|licen[cs]e\s+plate|plaque|immatriculation)"
    r"\s*(?:is|:|=)?\s*)[1-9A-Za-z][-. ]?[A-Za-z0-9]{2,3}[-. ]?[A-Za-z0-9]{2,3}(?![\w-])"
)


def digits(text: str) -> str:
    """Only the digits of a text."""
    return "".join(ch for ch in text if ch.isdigit())


def is_helpline(text: str) -> bool:
    """A helpline, emergency or service number (never redacted)."""
    compact = regex.sub(r"[^\d+]", "", text)
    number = digits(text)
    return number in HELPLINES or number[:4] in HELPLINES or compact.startswith(_SERVICE_PREFIXES)


def find_ibans(text: str) -> Iterator[Span]:
    """IBANs of any country whose mod-97 checksum holds."""
    for match in _IBAN.finditer(text):
        # The pattern may run into a word or number after the IBAN: shorten it by whole
        # tokens until the checksum holds.
        candidate = match.group()
        while candidate:
            if iban.is_valid(regex.sub(r"[ .-]", "", candidate), check_country=False):
                yield match.start(), match.start() + len(candidate), "<iban>"
                break
            candidate = regex.sub(r"[ .-]?[A-Z0-9]+$", "", candidate, flags=regex.I)
            candidate = candidate if len(regex.sub(r"\W", "", candidate)) >= 14 else ""


def find_national_numbers(text: str) -> Iterator[Span]:
    """Belgian national register and BIS numbers with any separators, checksum holding."""
    for match in _NATIONAL.finditer(text):
        number = digits(match.group())
        if nn.is_valid(number) or bis.is_valid(number):
            yield match.start(), match.end(), "<rijksregisternummer>"


def find_phone_numbers(text: str) -> Iterator[Span]:
    """Valid phone numbers of Belgium and, written with their country code, of any country."""
    for match in phonenumbers.PhoneNumberMatcher(text, "BE"):
        if not is_helpline(match.raw_string):
            yield match.start, match.end, "<telefoon>"


def find_plates(text: str) -> Iterator[Span]:
    """Belgian licence plates."""
    for match in _PLATE.finditer(text):
        yield match.start(), match.end(), "<nummerplaat>"
