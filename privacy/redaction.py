"""Redact personal data from what a person typed, before anything stores or shows it.

Each kind of data becomes a typed placeholder (``<telefoon>``, ``<email>`` ...). Numbers
with a checksum (national register number, IBAN) are only redacted when the checksum
holds, so that "5de jaar", "2 loopbaancheques" or "bus 12" stay as they are. The NLU
reads the redacted text; no model feature depends on the redacted values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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
)

# Street names end in one of these ("Kerkstraat", "Kortrijksesteenweg"); "baan" is left out
# because "loopbaan 2 jaar" and "een baan 3 dagen" are no addresses.
_STREET_WORDS = (
    r"straat|laan|lei|steenweg|weg|plein|dreef|kaai|dijk|pad|hof|markt|vest|singel|boulevard"
)
# A first name in any case ("ik heet jan"), more name parts only when capitalised.
_NAME = (
    r"[A-Za-zÀ-ÿ][a-zà-ÿ'-]+"
    r"(?-i:(?:\s+(?:van|de|der|den|vanden|vander|Van|De)?\s*[A-ZÀ-Ý][a-zà-ÿ'-]+)?)"
)
# Places typed in lower case after a postcode ("9000 gent"): the larger towns.
_CITIES = (
    r"gent|antwerpen|brussel|leuven|brugge|mechelen|hasselt|genk|kortrijk|oostende|aalst|"
    r"sint-niklaas|roeselare|turnhout|dendermonde|lokeren|beveren|vilvoorde|ninove|lier|"
    r"geel|mol|herentals|tienen|aarschot|diest|halle|asse|zaventem|waregem|ieper|izegem|"
    r"tielt|eeklo|deinze|ronse|geraardsbergen|wetteren|zottegem|boom|mortsel|schoten|"
    r"brasschaat|kapellen|bilzen|tongeren|lommel|maasmechelen|beringen|heusden-zolder|"
    r"sint-truiden|liège|luik|namen|charleroi|bergen|mons"
)
# Words after four digits that make them a count or an amount, not a postcode.
_NOT_PLACES = (
    r"euro|eur|jaar|jaren|km|meter|mensen|uur|uren|minuten|keer|studenten|leerlingen|"
    r"vacatures|jobs|banen|werknemers|punten|stuks|dagen|weken|maanden|bruto|netto|per|tot|"
    r"en|of|in|op|was|is|werd|heb|had|ben"
)


# Helplines and emergency numbers are never personal data, and "ik heb 1813 gebeld" is a
# crisis signal the red-flag check after redaction must still see: the crisis lines of the
# knowledge store (knowledge/content/crisis_lines.yml, a test keeps them in this set), the
# emergency numbers and the European 116 lines.
HELPLINES = frozenset(
    {"112", "1813", "102", "106", "1712", "100", "101", "116000", "116111", "116123"}
)


def _not_a_helpline(candidate: str) -> bool:
    return _digits(candidate)[:4] not in HELPLINES


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _valid_national_number(candidate: str) -> bool:
    """Belgian rijksregisternummer: 9 digits + check = 97 - (n mod 97), 2000+ with a 2 prefix."""
    digits = _digits(candidate)
    if len(digits) != 11:
        return False
    base, check = int(digits[:9]), int(digits[9:])
    return check in (97 - base % 97, 97 - int("2" + digits[:9]) % 97)


def _valid_iban(candidate: str) -> bool:
    compact = re.sub(r"\s", "", candidate).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", compact):
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


@dataclass(frozen=True)
class Rule:
    """One kind of personal data: a pattern, its placeholder and an optional check."""

    placeholder: str
    pattern: re.Pattern[str]
    check: Callable[[str], bool] | None = None
    group: int = 0  # the part of the match that is replaced


_RULES: tuple[Rule, ...] = (
    Rule("<email>", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    Rule(
        "<url>",
        re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE),
    ),
    Rule(
        "<iban>",
        re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b", re.IGNORECASE),
        _valid_iban,
    ),
    Rule(
        "<rijksregisternummer>",
        re.compile(r"\b\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[-.\s]?\d{2}\b"),
        _valid_national_number,
    ),
    Rule(
        "<telefoon>",
        re.compile(
            r"(?<![\w+./-])(?:(?:\+|00)\s?32\s?\(?0?\)?\s?|0)"  # +32, 0032 or a leading 0
            r"(?:4\d{2}(?:[\s./-]?\d{2}){3}"  # mobile 04xx xx xx xx
            r"|[1-9]\d?(?:[\s./-]?\d{2,3}){2,3})"  # landlines 0x or 0xx
            r"(?!\d)"
        ),
        # Free and paying service numbers (0800, 070, 078, 090x) belong to services, not people.
        lambda m: 9 <= len(_digits(m)) <= 13 and not re.match(r"0(?:800|70|78|90)", _digits(m)),
    ),
    Rule(
        "<geboortedatum>",
        re.compile(
            r"(?:geboren\s+(?:op|in)?|geboortedatum:?|verjaardag\s+is|verjaar\s+op)\s*"
            r"(\d{1,2}[\s/.-]+(?:\d{1,2}|januari|februari|maart|april|mei|juni|juli|augustus|"
            r"september|oktober|november|december)[\s/.-]+\d{2,4})",
            re.IGNORECASE,
        ),
        group=1,
    ),
    Rule(
        "<adres>",
        re.compile(
            rf"(?-i:(?:\b[A-ZÀ-Ý][a-zà-ÿ]+\s+)*)\b[A-Za-zÀ-ÿ'-]{{2,}}(?:{_STREET_WORDS})\s+\d{{1,4}}[a-zA-Z]?"
            rf"(?:\s*(?:bus|/)\s*\d+)?\b",
            re.IGNORECASE,
        ),
    ),
    Rule(
        "<postcode>",
        re.compile(
            rf"\b[1-9]\d{{3}}\s+(?:(?!(?:{_NOT_PLACES})\b)[A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)?"
            rf"|(?i:{_CITIES}))\b"
        ),
        _not_a_helpline,
    ),
    Rule(
        "<naam>",
        re.compile(
            rf"(?:\bik\s+heet|\bmijn\s+naam\s+is|\bnoem\s+me)\s+({_NAME})",
            re.IGNORECASE,
        ),
        group=1,
    ),
)

# "ik heet" is followed by a capitalised name; these capitalised words are not names.
_NOT_NAMES = frozenset(
    {"Niet", "Geen", "Anoniem", "Ik", "Het", "De", "Een", "Eigenlijk", "Geheim", "Zo", "Nog"}
)


def redact(text: str) -> str:
    """The text with every kind of personal data replaced by its typed placeholder."""
    for rule in _RULES:
        text = _apply(rule, text)
    return text


def _apply(rule: Rule, text: str) -> str:
    pieces, last = [], 0
    for match in rule.pattern.finditer(text):
        start, end = match.span(rule.group)
        value = match.group(rule.group)
        if rule.check is not None and not rule.check(value):
            continue
        if rule.placeholder == "<naam>" and value.split()[0].capitalize() in _NOT_NAMES:
            continue
        pieces.append(text[last:start])
        pieces.append(rule.placeholder)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def placeholders_in(text: str) -> list[str]:
    """The placeholders in a redacted text, in order (for the corpus report)."""
    return re.findall("|".join(re.escape(p) for p in PLACEHOLDERS), text)
