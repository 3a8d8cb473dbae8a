"""Crisis red flags: reviewed lexicons, one per language, that back up the intent classifier.

The lexicons live in ``red_flags/`` beside this module, one file per language (``nl.yml``,
``en.yml``, ``fr.yml`` and languages the assistant does not speak yet). Every lexicon is
matched on every message, whatever language the conversation is in: Dutch on normalised
chat text (see :mod:`bot.nlu.chat_text`), the others on plain text, after harmless figures
of speech are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.chat_text import normalise, plain, strip_accents

LEXICON_DIR = Path(__file__).with_name("red_flags")
_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+")
DUTCH = "nl"


@dataclass(frozen=True)
class RedFlag:
    """A red flag found in a message: its category (suicide, self_harm, abuse,
    acute_danger) and the language of the lexicon that matched."""

    category: str
    matched: str
    language: str = DUTCH


@dataclass(frozen=True)
class LanguageLexicon:
    """Compiled red-flag patterns per category and the harmless expressions of one language."""

    language: str
    red_flags: dict[str, list[re.Pattern[str]]]
    harmless: list[re.Pattern[str]]
    violence: list[re.Pattern[str]]


@dataclass(frozen=True)
class Lexicon:
    """Every language's lexicon, Dutch first."""

    languages: tuple[LanguageLexicon, ...]


def _compile(pattern: str, language: str) -> re.Pattern[str]:
    # Patterns of other languages are written with their accents; the text loses them.
    return re.compile(pattern if language == DUTCH else plain_pattern(pattern))


def plain_pattern(pattern: str) -> str:
    """Lowercase and strip accents in a pattern, leaving its regular-expression syntax."""
    # Escapes (\W, \b, ...) keep their case; the zero-width non-joiner of Persian is a space.
    return _ESCAPE_OR_TEXT.sub(
        lambda m: (
            m.group(0)
            if m.group(0).startswith("\\")
            else strip_accents(m.group(0).lower()).replace("\u200c", " ")
        ),
        pattern,
    )


def read_language(path: Path) -> LanguageLexicon:
    """Read and compile one language's lexicon file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    language = raw["language"]
    return LanguageLexicon(
        language=language,
        red_flags={
            category: [_compile(pattern, language) for pattern in patterns]
            for category, patterns in raw["red_flags"].items()
        },
        harmless=[_compile(entry["pattern"], language) for entry in raw.get("harmless", [])],
        violence=[_compile(pattern, language) for pattern in raw.get("violence_words", [])],
    )


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """Read every language's lexicon in ``directory``, Dutch, English and French first."""
    order = {DUTCH: 0, "en": 1, "fr": 2}
    lexicons = [read_language(path) for path in sorted(directory.glob("*.yml"))]
    lexicons.sort(key=lambda lexicon: order.get(lexicon.language, 3))
    return Lexicon(languages=tuple(lexicons))


def _without_harmless(text: str, lexicon: LanguageLexicon) -> str:
    for pattern in lexicon.harmless:
        text = pattern.sub(" ", text)
    return text


def _forms(text: str) -> dict[bool, str]:
    """The text as the lexicons expect it, prepared once: normalised chat text for the
    Dutch lexicon (key True), plain text for the others (key False)."""
    return {True: normalise(text), False: plain(text)}


def _is_dutch(language: LanguageLexicon) -> bool:
    return language.language == DUTCH


def find_red_flag(text: str, lexicon: Lexicon | None = None) -> RedFlag | None:
    """Return the first red flag in ``text`` in any language, or None when there is none.

    Every language's harmless expressions are removed first, whichever lexicon then
    matches: "suicide prevention" is harmless to the Dutch lexicon's "suicid" too.
    """
    lexicon = lexicon or load_lexicon()
    cleaned = {}
    for dutch, form in _forms(text).items():
        for language in lexicon.languages:
            form = _without_harmless(form, language)
        cleaned[dutch] = form
    for language in lexicon.languages:
        for category, patterns in language.red_flags.items():
            for pattern in patterns:
                match = pattern.search(cleaned[_is_dutch(language)])
                if match:
                    return RedFlag(category, match.group(0), language.language)
    return None


def _any_match(text: str, lexicon: Lexicon, kind: str) -> bool:
    """True when one of the ``kind`` patterns ("harmless", "violence") of any language
    matches ``text``, each language on its own form of the text."""
    forms = _forms(text)
    return any(
        pattern.search(forms[_is_dutch(language)])
        for language in lexicon.languages
        for pattern in getattr(language, kind)
    )


def is_harmless_figure_of_speech(text: str, lexicon: Lexicon | None = None) -> bool:
    """True when ``text`` holds a known harmless expression such as "dood van de stress"."""
    return _any_match(text, lexicon or load_lexicon(), "harmless")


def tells_of_violence(text: str, lexicon: Lexicon | None = None) -> bool:
    """True when ``text`` holds a word for violence or abuse by someone (hitting, touching,
    threatening) in any language: a crisis then calls for the lines against violence."""
    return _any_match(text, lexicon or load_lexicon(), "violence")
