"""Components around the intent: an n-gram model's ranking, domain words that name a
question, and a guard that sends gibberish to the fallback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.chat_text import normalise
from bot.nlu.component_base import (
    FALLBACK_INTENT,
    NgramComponent,
    TrainedComponent,
    UntrainedComponent,
    force_intent,
)
from bot.nlu.ngram_model import NgramModel
from bot.nlu.topic_keywords import named_questions


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class NgramIntentClassifier(NgramComponent):
    """Ranks the intents with an n-gram model of the NLU examples (:mod:`bot.nlu.ngram_model`).

    Character n-grams carry word stems and chat spelling to wordings no example lists, in
    the three languages of the examples; it trains in seconds. It replaced DIET, which on
    the development set chose no more right answers and took most of the training time
    (docs/quality_analysis.md).
    """

    RANKING_LENGTH = 10

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        texts = [m.get(TEXT) for m in examples]
        return self._store(NgramModel.train(texts, [m.get(INTENT) for m in examples]))

    def process_message(self, message: Message) -> None:
        probabilities = self.model.probabilities(message.get(TEXT))
        ranking = [
            {"name": name, "confidence": confidence}
            for name, confidence in sorted(probabilities.items(), key=lambda item: -item[1])
        ][: self.RANKING_LENGTH]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TopicKeywords(UntrainedComponent):
    """Puts the question a domain word names first ("leerkrediet", "outplacement").

    Only when the classifier did not put it first with confidence above ``keep_above``;
    among several named questions the classifier's order decides.
    """

    def __init__(self, keep_above: float) -> None:
        self.keep_above = keep_above

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> TopicKeywords:
        return cls(float(config.get("keep_above", 0.9)))

    def process_message(self, message: Message) -> None:
        named = named_questions(message.get(TEXT))
        if not named:
            return
        intent = message.get(INTENT) or {}
        if intent.get("name") in named:
            return
        if intent.get("name") != FALLBACK_INTENT and intent.get("confidence", 0) > self.keep_above:
            return
        ranking = message.get(INTENT_RANKING_KEY, [])
        order = [r["name"] for r in ranking]
        best = min(named, key=lambda name: order.index(name) if name in order else len(order))
        force_intent(message, best)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AnswerFirst(UntrainedComponent):
    """A message that says who the person is and asks something gets the answer.

    "Ik ben werkloos en zoek werk" reads as much as a statement of the group as a question.
    When the ``statement`` intent leads and the next intent that is a question (not one of
    ``not_questions``) has more than ``question_above``, the question goes first; the group
    is still set from the message's cues by the user-group components.
    """

    def __init__(self, statement: str, question_above: float, not_questions: frozenset[str]):
        self.statement = statement
        self.question_above = question_above
        self.not_questions = not_questions | {statement, FALLBACK_INTENT}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> AnswerFirst:
        return cls(
            str(config.get("statement", "inform_user_group")),
            float(config.get("question_above", 0.25)),
            frozenset(config.get("not_questions", [])),
        )

    def process_message(self, message: Message) -> None:
        if (message.get(INTENT) or {}).get("name") != self.statement:
            return
        questions = [
            r for r in message.get(INTENT_RANKING_KEY, []) if r["name"] not in self.not_questions
        ]
        if questions and questions[0]["confidence"] > self.question_above:
            force_intent(message, questions[0]["name"])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class KnownWordsGuard(TrainedComponent):
    """Sends a message without a single known word to the fallback.

    A classifier gives gibberish ("xqzt vlorp") some intent with fair confidence. A word
    is known when it occurs in the training data or its lookup tables, or when spaCy's
    Dutch lemma table knows it (its lemma differs from the word). Messages with an
    entity are left alone.
    """

    VOCABULARY_FILE = "vocabulary.json"
    vocabulary: frozenset[str] = frozenset()

    def train(self, training_data: TrainingData) -> Resource:
        texts = [m.get(TEXT) or "" for m in training_data.training_examples]
        for table in training_data.lookup_tables:
            texts.extend(str(element) for element in table.get("elements", []))
        self.vocabulary = frozenset(word for text in texts for word in normalise(text).split())
        return self._persist()

    def _write(self, directory: Path) -> None:
        (directory / self.VOCABULARY_FILE).write_text(
            json.dumps(sorted(self.vocabulary), ensure_ascii=False), encoding="utf-8"
        )

    def _read(self, directory: Path) -> None:
        words = json.loads((directory / self.VOCABULARY_FILE).read_text(encoding="utf-8"))
        self.vocabulary = frozenset(words)

    def _knows_a_word(self, message: Message) -> bool:
        words = [w for w in normalise(message.get(TEXT)).split() if any(c.isalpha() for c in w)]
        if not words or any(w in self.vocabulary for w in words):
            return True
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        return any(t.lemma and t.lemma != t.text for t in tokens)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not message.get(TEXT) or message.get(ENTITIES) or self._knows_a_word(message):
                continue
            fallback = {"name": FALLBACK_INTENT, "confidence": 1.0}
            ranking = message.get(INTENT_RANKING_KEY, [])
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)
        return messages
