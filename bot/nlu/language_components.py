"""Language: a model of the assistant's own examples, and the guard that sets the
conversation's language on clear evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.chat_text import plain
from bot.nlu.component_base import (
    CHOOSE_LANGUAGE_INTENT,
    CRISIS_INTENT,
    LANGUAGE_ENTITY,
    LANGUAGE_SCORES,
    UNSUPPORTED_LANGUAGE_INTENT,
    NgramComponent,
    UntrainedComponent,
    add_entity,
    examples_fingerprint,
    force_intent,
)
from bot.nlu.language import (
    OTHER,
    SPOKEN,
    LanguageGuess,
    LanguageIdentifier,
    read_language_examples,
)
from bot.nlu.ngram_model import NgramModel


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LanguageScorer(NgramComponent):
    """Scores every message's language (nl, en, fr, other) with an n-gram model of the
    assistant's own examples: the NLU examples in ``nlu`` by folder and the example files
    in ``examples`` (``data/risk/``, ``data/user_groups/``) by their ``language`` key. It
    knows the domain's words ("salaire minimum", "NT2 course") where a general detector is
    unsure; the language guard after it uses the scores only when nothing clearer speaks."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # The NLU examples reach train() too, so Rasa retrains on their change by itself.
        examples = config.get("examples")
        return "".join(examples_fingerprint(Path(d)) for d in examples) if examples else None

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = read_language_examples(
            Path(self.config["nlu"]), [Path(d) for d in self.config.get("examples", [])]
        )
        return self._store(NgramModel.train(texts, labels))

    def process_message(self, message: Message) -> None:
        message.set(LANGUAGE_SCORES, self.model.probabilities(message.get(TEXT)))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageGuard(UntrainedComponent):
    """Adds a ``language`` entity (nl, en, fr or other) when a message clearly shows it.

    - A typed request ("english please", "in het Frans") becomes ``choose_language``.
    - A language the assistant does not speak becomes ``unsupported_language``, unless the
      crisis guard found a red flag: then the crisis response stays, in the language of the
      red flag (the crisis guard set it), or in the message's own language when it is
      clearly Dutch, English or French.
    - Where the identifier finds no clear evidence, the ``LanguageScorer``'s best language
      counts when it is Dutch, English or French, its probability is at least
      ``model_above`` and the message has three different words or more: Flemish chat
      borrows short phrases ("allez salut", "bye bye", "oké merci"), and the model's
      "other" has too few examples to send anyone the reply for another language.
    """

    MODEL_MIN_WORDS = 3

    def __init__(self, identifier: LanguageIdentifier, model_above: float = 1.0) -> None:
        self.identifier = identifier
        self.model_above = model_above

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LanguageGuard:
        return cls(LanguageIdentifier(), float(config.get("model_above", 1.0)))

    def _guess(self, message: Message) -> LanguageGuess | None:
        text = message.get(TEXT)
        guess = self.identifier.identify(text)
        scores = message.get(LANGUAGE_SCORES)
        if guess is not None or not scores or len(set(plain(text).split())) < self.MODEL_MIN_WORDS:
            return guess
        language, probability = max(scores.items(), key=lambda item: item[1])
        if language not in SPOKEN or probability < self.model_above:
            return None
        return LanguageGuess(language, language, "model")

    def process_message(self, message: Message) -> None:
        text = message.get(TEXT)
        requested = self.identifier.requested(text)
        if requested:
            force_intent(message, CHOOSE_LANGUAGE_INTENT)
            add_entity(message, LANGUAGE_ENTITY, requested, "LanguageGuard")
            return
        entities = message.get(ENTITIES, [])
        set_by_crisis_guard = [e for e in entities if e.get("entity") == LANGUAGE_ENTITY]
        guess = self._guess(message)
        if set_by_crisis_guard:
            # The red flag's lexicon may be another language's ("suicide" is a red flag in
            # Dutch, English and French alike): the crisis lines come in the language the
            # message itself is clearly written in, when it is one the assistant speaks.
            if guess is not None and guess.language in SPOKEN:
                for entity in set_by_crisis_guard:
                    entity["value"] = guess.language
            return
        if guess is None:
            return
        add_entity(message, LANGUAGE_ENTITY, guess.language, "LanguageGuard")
        if guess.language == OTHER and (message.get(INTENT) or {}).get("name") != CRISIS_INTENT:
            force_intent(message, UNSUPPORTED_LANGUAGE_INTENT)
