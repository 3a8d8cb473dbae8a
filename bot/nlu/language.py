"""Which language a message is in: Dutch, English, French, or one the assistant does not speak.

Dutch is the default; a message switches the conversation only on clear evidence, because
Flemish chat ("kzit in 4de aso en weet ni wa kiezen") fools statistical detectors. The
evidence, in order:

1. A script other than Latin (Arabic, Cyrillic, ...): a language the assistant does not
   speak; lingua names which one.
2. A detector (lingua-language-detector) that is sure of a language the assistant does not
   speak, unless three or more Dutch, English or French function words say otherwise.
3. A whole message that is a greeting or thanks of one language ("good morning", "bonjour").
4. Function words: two or more different words that belong to one of Dutch, English or
   French and to no other (``function_words.yml``), and more of them than of the others.
5. The detector (low-accuracy mode: trigram models, ~50 MB, well under a
   millisecond a message) when it is sure and the message has a few words.

Where none of these is clear, the language guard may still follow a model learnt from the
assistant's own examples (``LanguageScorer``), which knows the domain's words in each
language ("salaire", "diploma recognition") better than a general detector.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from bot.nlu.chat_text import plain

SPOKEN = ("nl", "en", "fr")
OTHER = "other"
FUNCTION_WORDS_PATH = Path(__file__).with_name("function_words.yml")

# Languages newcomers in Flanders often write besides the three spoken ones (lingua has no
# Tigrinya, Amharic or Pashto; their scripts still mark them as not spoken).
CANDIDATES = "nl en fr de es it pt ro pl tr ar fa so uk ru sq bg hr cs sk hu lt lv sl ur hi bn zh"


@dataclass(frozen=True)
class LanguageGuess:
    """A clear sign of the message's language: ``nl``, ``en``, ``fr`` or ``other``."""

    language: str
    iso_code: str  # ISO 639-1 of the language itself ("ar" when language is "other")
    evidence: str  # script, greeting, function_words or detector


@dataclass(frozen=True)
class FunctionWords:
    """Words that point to one spoken language, and typed requests for a language."""

    words: dict[str, frozenset[str]]
    requests: dict[str, str]  # normalised typed request -> language
    greetings: dict[str, str]  # normalised greeting or thanks of one language -> language


@lru_cache(maxsize=2)
def load_function_words(path: Path = FUNCTION_WORDS_PATH) -> FunctionWords:
    """Read the function-word lists; words listed for two languages count for neither."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    lists = {language: set(plain(raw["words"][language]).split()) for language in SPOKEN}
    shared = {w for a in SPOKEN for b in SPOKEN if a < b for w in lists[a] & lists[b]}
    requests, greetings = (
        {plain(text): language for language, texts in raw[key].items() for text in texts}
        for key in ("requests", "greetings")
    )
    return FunctionWords(
        words={language: frozenset(lists[language] - shared) for language in SPOKEN},
        requests=requests,
        greetings=greetings,
    )


def read_language_examples(nlu: Path, others: list[Path]) -> tuple[list[str], list[str]]:
    """Messages labelled with their language (nl, en, fr or other): the NLU examples in
    ``nlu`` (its own files Dutch, its folders ``en`` and ``fr``), and the example files in
    each of ``others`` (``data/risk/``, ``data/user_groups/``), whose ``language`` key says
    theirs. Every string in such a file is a message."""
    from rasa.shared.nlu.training_data.loading import load_data

    texts: list[str] = []
    labels: list[str] = []
    for language, directory in (("nl", nlu), *((code, nlu / code) for code in SPOKEN[1:])):
        for path in sorted(directory.glob("*.yml")):
            messages = [m.get("text") for m in load_data(str(path)).intent_examples]
            texts.extend(text for text in messages if text)
            labels.extend(language for text in messages if text)
    for directory in others:
        for path in sorted(directory.glob("*.yml")):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            language = raw["language"] if raw["language"] in SPOKEN else OTHER
            messages = list(_strings({k: v for k, v in raw.items() if k != "language"}))
            texts.extend(messages)
            labels.extend([language] * len(messages))
    return texts, labels


def _strings(value: object) -> list[str]:
    """Every string in a nest of lists and mappings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _is_latin(char: str) -> bool:
    return "LATIN" in unicodedata.name(char, "")


class LanguageIdentifier:
    """Guesses a message's language; None when there is no clear evidence."""

    def __init__(
        self, min_confidence: float = 0.9, min_words: int = 3, sure_other: float = 0.9
    ) -> None:
        languages = [
            Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
            for code in CANDIDATES.split()
        ]
        self._detector = (
            LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
        )
        self._words = load_function_words()
        self.min_confidence = min_confidence
        self.min_words = min_words
        self.sure_other = sure_other

    def requested(self, text: str) -> str | None:
        """The language a typed request such as "English please" or "in het Frans" asks for."""
        return self._words.requests.get(plain(text))

    def _detect(self, text: str) -> tuple[str, float] | None:
        values = self._detector.compute_language_confidence_values(text)
        if not values:
            return None
        best = values[0]
        return best.language.iso_code_639_1.name.lower(), best.value

    def identify(self, text: str) -> LanguageGuess | None:
        letters = [c for c in text if c.isalpha()]
        if not letters:
            return None
        if sum(not _is_latin(c) for c in letters) > len(letters) / 2:
            detected = self._detect(text)
            code = detected[0] if detected else "und"
            language = code if code in SPOKEN else OTHER
            return LanguageGuess(language, code, "script")
        greeting = self._words.greetings.get(plain(text))
        if greeting:
            return LanguageGuess(greeting, greeting, "greeting")
        words = plain(text).split()
        distinct = set(words)
        votes = Counter(
            language
            for word in distinct
            for language in SPOKEN
            if word in self._words.words[language]
        )
        ranked = votes.most_common(2)
        top_votes = ranked[0][1] if ranked else 0
        detected = self._detect(text) if len(words) >= self.min_words else None
        # A sure detector that names a language the assistant does not speak wins over a
        # stray function word ("que" in Portuguese, "ma" in Somali).
        if (
            detected
            and detected[0] not in SPOKEN
            and detected[1] >= self.sure_other
            and top_votes < 3
        ):
            return LanguageGuess(OTHER, detected[0], "detector")
        if top_votes >= 2 and (len(ranked) == 1 or top_votes > ranked[1][1]):
            return LanguageGuess(ranked[0][0], ranked[0][0], "function_words")
        if detected is None or detected[1] < self.min_confidence:
            return None
        code = detected[0]
        if votes and code != ranked[0][0]:
            return None  # the detector and the words disagree: no clear evidence
        return LanguageGuess(code if code in SPOKEN else OTHER, code, "detector")
