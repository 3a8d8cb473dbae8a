"""Normal forms of occupation names, for matching and search."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Light Dutch stemming for plurals and common endings: "lassers" -> "lasser",
# "verpleegkundigen" -> "verpleegkundig", "kapsters" -> "kapster".
_SUFFIXES = ("'s", "en", "s", "e")


def normalise_name(text: str) -> str:
    """Lowercase, no accents, only letters and digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", plain).strip()


def _stem_word(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def stem_name(text: str) -> str:
    """The normalised name with each word lightly stemmed."""
    return " ".join(_stem_word(w) for w in normalise_name(text).split())


def trigrams(text: str) -> list[str]:
    """Distinct character trigrams of the normalised text, in order of appearance."""
    padded = normalise_name(text)
    seen: dict[str, None] = {}
    for i in range(len(padded) - 2):
        gram = padded[i : i + 3]
        if " " not in gram:
            seen[gram] = None
    return list(seen)
