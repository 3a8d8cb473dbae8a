"""Domain words that name one question beyond doubt: a high-precision layer over DIET.

The lexicon is ``topic_keywords.yml`` beside this module. With few examples per intent the
classifier often ranks the right question second behind a more common one ("leerkrediet"
behind "verder studeren"); a domain word that names the question settles it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.chat_text import normalise, plain

KEYWORDS_PATH = Path(__file__).with_name("topic_keywords.yml")


@lru_cache(maxsize=2)
def load_keywords(path: Path = KEYWORDS_PATH) -> dict[str, list[re.Pattern[str]]]:
    """Intent -> compiled patterns of the words that name it."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {intent: [re.compile(p) for p in patterns] for intent, patterns in raw.items()}


def named_questions(
    text: str, keywords: dict[str, list[re.Pattern[str]]] | None = None
) -> set[str]:
    """The intents whose domain words occur in ``text``."""
    keywords = keywords or load_keywords()
    forms = (normalise(text), plain(text))
    return {
        intent
        for intent, patterns in keywords.items()
        if any(pattern.search(form) for pattern in patterns for form in forms)
    }
