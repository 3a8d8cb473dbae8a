"""Crisis red flags: a reviewed Dutch lexicon that backs up the intent classifier.

The lexicon lives in ``red_flags.yml`` beside this module. It is matched on normalised chat
text (see :mod:`bot.nlu.chat_text`) after harmless figures of speech are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.chat_text import normalise

LEXICON_PATH = Path(__file__).with_name("red_flags.yml")


@dataclass(frozen=True)
class RedFlag:
    """A red flag found in a message: its category (suicide, self_harm, abuse, acute_danger)."""

    category: str
    matched: str


@dataclass(frozen=True)
class Lexicon:
    """Compiled red-flag patterns per category and the harmless expressions."""

    red_flags: dict[str, list[re.Pattern[str]]]
    harmless: list[re.Pattern[str]]


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read and compile the lexicon file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    red_flags = {
        category: [re.compile(pattern) for pattern in patterns]
        for category, patterns in raw["red_flags"].items()
    }
    harmless = [re.compile(entry["pattern"]) for entry in raw["harmless"]]
    return Lexicon(red_flags=red_flags, harmless=harmless)


def _without_harmless(text: str, lexicon: Lexicon) -> str:
    for pattern in lexicon.harmless:
        text = pattern.sub(" ", text)
    return text


def find_red_flag(text: str, lexicon: Lexicon | None = None) -> RedFlag | None:
    """Return the first red flag in ``text``, or None when there is none."""
    lexicon = lexicon or load_lexicon()
    cleaned = _without_harmless(normalise(text), lexicon)
    for category, patterns in lexicon.red_flags.items():
        for pattern in patterns:
            match = pattern.search(cleaned)
            if match:
                return RedFlag(category=category, matched=match.group(0))
    return None


def is_harmless_figure_of_speech(text: str, lexicon: Lexicon | None = None) -> bool:
    """True when ``text`` holds a known harmless expression such as "dood van de stress"."""
    lexicon = lexicon or load_lexicon()
    normalised = normalise(text)
    return any(pattern.search(normalised) for pattern in lexicon.harmless)
