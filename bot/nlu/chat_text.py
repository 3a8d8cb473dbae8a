"""Normalise Flemish chat text so that hand-written lexicons can match it."""

from __future__ import annotations

import re
import unicodedata

_CHAT_WORDS = {
    "k": "ik",
    "'k": "ik",
    "kzie": "ik zie",
    "kwil": "ik wil",
    "kben": "ik ben",
    "kheb": "ik heb",
    "kga": "ik ga",
    "kzit": "ik zit",
    "kwerk": "ik werk",
    "kweet": "ik weet",
    "kan't": "kan het",
    "m'n": "mijn",
    "mn": "mijn",
    "z'n": "zijn",
    "ni": "niet",
    "nie": "niet",
    "nt": "niet",
    "wa": "wat",
    "da": "dat",
    "'t": "het",
    "t": "het",
    "wl": "wil",
    "wilt": "wil",
    "me": "mij",
    "mzelf": "mezelf",
    "mijzelf": "mezelf",
    "ma": "mama",
    "pa": "papa",
    # West-Flemish and Antwerp chat.
    "kzyn": "ik ben",
    "zyn": "zijn",
    "myn": "mijn",
    "wille": "wil",
    "kwille": "ik wil",
    "ku": "kan",
    "tyd": "tijd",
    "vyfde": "vijfde",
    "zyt": "zijt",
}

_REPEATS = re.compile(r"(\w)\1{2,}")
_NON_WORD = re.compile(r"[^\w' ]+")
_SPACES = re.compile(r"\s+")
_NOT_MORE = re.compile(r"\bniet mi\b")  # West-Flemish "nie mi" is "niet meer"


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain(text: str) -> str:
    """Lowercase, strip accents and punctuation, apostrophes as spaces: any language.

    "J'en peux PLUS!!!" becomes "j en peux plus"; no Dutch chat spelling is undone.
    """
    lowered = strip_accents(text.lower()).replace("\u2019", " ").replace("'", " ")
    lowered = _REPEATS.sub(r"\1\1", lowered)
    return _SPACES.sub(" ", _NON_WORD.sub(" ", lowered)).strip()


def normalise(text: str) -> str:
    """Lowercase, strip accents and punctuation, undo chat spelling.

    "K wil NIET meer levennn!!" becomes "ik wil niet meer levenn".
    """
    lowered = strip_accents(text.lower()).replace("\u2019", "'")
    lowered = _REPEATS.sub(r"\1\1", lowered)
    lowered = _NON_WORD.sub(" ", lowered)
    words = [_CHAT_WORDS.get(word, word) for word in _SPACES.split(lowered.strip())]
    return _NOT_MORE.sub("niet meer", " ".join(words))
