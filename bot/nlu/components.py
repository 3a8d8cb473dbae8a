"""Rasa NLU graph components that run after DIET in ``bot/config.yml``.

Crisis: the risk scorer (a small n-gram model) and the crisis guard (red-flag lexicons,
then the risk score). Language: the language guard. User group: the cue lexicon, then a
small n-gram model when the cues find nothing. Topics: domain words that name a question,
and a guard that sends gibberish to the fallback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.chat_text import normalise
from bot.nlu.language import OTHER, SPOKEN, LanguageIdentifier
from bot.nlu.ngram_model import NgramModel
from bot.nlu.red_flags import find_red_flag, is_harmless_figure_of_speech, tells_of_violence
from bot.nlu.topic_keywords import named_questions
from bot.nlu.user_groups import (
    NO_GROUP,
    detect_user_group,
    examples_fingerprint,
    read_group_examples,
)

CRISIS_INTENT = "crisis"
CHECK_IN_INTENT = "crisis_check_in"
FALLBACK_INTENT = "nlu_fallback"
CRISIS_SIGNAL_ENTITY = "crisis_signal"
CRISIS_RISK = "crisis_risk"  # the risk model's score, a message property
USER_GROUP_ENTITY = "user_group"
LANGUAGE_ENTITY = "language"
NEWCOMER_GROUP = "migratieachtergrond"
CHOOSE_LANGUAGE_INTENT = "choose_language"
UNSUPPORTED_LANGUAGE_INTENT = "unsupported_language"


class _UntrainedComponent(GraphComponent):
    """Shared plumbing of a component that needs no training."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _UntrainedComponent:
        return cls.from_config(config)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> _UntrainedComponent:
        """The component with its settings from ``bot/config.yml``."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if message.get(TEXT):
                self.process_message(message)
        return messages

    def process_message(self, message: Message) -> None:
        raise NotImplementedError


def _add_entity(message: Message, name: str, value: str, extractor: str) -> None:
    """Add a whole-message entity (it describes the message, not a span of it)."""
    entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != name]
    entities.append({"entity": name, "value": value, "start": 0, "end": 0, "extractor": extractor})
    message.set(ENTITIES, entities, add_to_output=True)


def _force_intent(message: Message, name: str) -> None:
    """Put intent ``name`` first, with full confidence, over the classifiers' guess."""
    forced = {"name": name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r["name"] != name]
    message.set(INTENT, forced, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [forced, *ranking], add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TopicKeywords(_UntrainedComponent):
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
        _force_intent(message, best)


class _TrainedComponent(GraphComponent):
    """Shared plumbing of a component that learns something in ``train`` and keeps it in
    the model: subclasses say what they write and read (``_write``, ``_read``)."""

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _TrainedComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> _TrainedComponent:
        component = cls(config, model_storage, resource)
        with model_storage.read_from(resource) as path:
            component._read(path)
        return component

    def _persist(self) -> Resource:
        with self._model_storage.write_to(self._resource) as path:
            self._write(path)
        return self._resource

    def _write(self, directory: Path) -> None:
        raise NotImplementedError

    def _read(self, directory: Path) -> None:
        raise NotImplementedError

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


class _NgramComponent(_TrainedComponent):
    """A component around one :class:`NgramModel`."""

    MODEL_FILE = "model.joblib"
    model: NgramModel | None = None

    def _store(self, model: NgramModel) -> Resource:
        self.model = model
        return self._persist()

    def _write(self, directory: Path) -> None:
        self.model.save(directory / self.MODEL_FILE)

    def _read(self, directory: Path) -> None:
        self.model = NgramModel.load(directory / self.MODEL_FILE)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if message.get(TEXT) and self.model:
                self.process_message(message)
        return messages

    def process_message(self, message: Message) -> None:
        raise NotImplementedError


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentMixer(_NgramComponent):
    """Mixes DIET's intent ranking with an n-gram model's, trained on the same examples.

    The two err differently: DIET on its learnt features, the n-gram model on word stems
    and spelling. The mixed confidence is ``diet_weight`` times DIET's plus the rest times
    the n-gram model's; the fallback and "Bedoel je ...?" after it read the mixed ranking.
    """

    RANKING_LENGTH = 10

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        texts = [m.get(TEXT) for m in examples]
        return self._store(NgramModel.train(texts, [m.get(INTENT) for m in examples]))

    def process_message(self, message: Message) -> None:
        weight = float(self.config.get("diet_weight", 0.5))
        diet = {r["name"]: r["confidence"] for r in message.get(INTENT_RANKING_KEY, [])}
        ngram = self.model.probabilities(message.get(TEXT))
        mixed = {
            name: weight * diet.get(name, 0.0) + (1 - weight) * ngram.get(name, 0.0)
            for name in diet.keys() | ngram.keys()
        }
        ranking = [
            {"name": name, "confidence": confidence}
            for name, confidence in sorted(mixed.items(), key=lambda item: -item[1])
        ][: self.RANKING_LENGTH]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class RiskScorer(_NgramComponent):
    """Scores every message with a crisis risk model (:mod:`bot.nlu.ngram_model`) trained
    on the ``crisis`` examples of every language against all others; the crisis guard
    after it decides what the score means."""

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = ["crisis" if m.get(INTENT) == CRISIS_INTENT else "other" for m in examples]
        return self._store(NgramModel.train([m.get(TEXT) for m in examples], labels))

    def process_message(self, message: Message) -> None:
        message.set(CRISIS_RISK, self.model.probabilities(message.get(TEXT))["crisis"])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(_UntrainedComponent):
    """Turns crisis signals into the ``crisis`` or ``crisis_check_in`` intent.

    - A red flag from the reviewed lexicon forces ``crisis``, over any classifier output
      (including the fallback): crisis lines first, urgent follow-up.
    - A crisis risk score (:class:`RiskScorer`) above ``alarm_above`` does the same: the
      lexicons list wordings, the risk model carries them to wordings they do not list.
    - A crisis guess of the classifier alone becomes ``crisis_check_in``: the assistant
      shows the crisis lines and asks how the person is, without an alarm.
    - A known harmless figure of speech ("ik ga dood van de stress") without a red flag
      raises no alarm; with a crisis guess it gets the next intent of the ranking.
    """

    def __init__(self, alarm_above: float) -> None:
        self.alarm_above = alarm_above

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CrisisGuard:
        return cls(float(config.get("alarm_above", 1.0)))

    def process_message(self, message: Message) -> None:
        text = message.get(TEXT)
        red_flag = find_red_flag(text)
        ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r["name"] != CRISIS_INTENT]
        if red_flag:
            _force_intent(message, CRISIS_INTENT)
            _add_entity(message, CRISIS_SIGNAL_ENTITY, red_flag.category, "CrisisGuard")
            # The crisis lines come in the language the red flag was written in.
            language = red_flag.language if red_flag.language in SPOKEN else OTHER
            _add_entity(message, LANGUAGE_ENTITY, language, "CrisisGuard")
            return
        harmless = is_harmless_figure_of_speech(text)
        risk = message.get(CRISIS_RISK) or 0.0
        if risk > self.alarm_above and not harmless:
            _force_intent(message, CRISIS_INTENT)
            # No lexicon category: "abuse" when violence is named (its own lines), else "risk".
            category = "abuse" if tells_of_violence(text) else "risk"
            _add_entity(message, CRISIS_SIGNAL_ENTITY, category, "CrisisGuard")
            return
        intent = message.get(INTENT) or {}
        if intent.get("name") != CRISIS_INTENT:
            return
        if harmless:
            next_best = [r for r in ranking if r["name"] != "nlu_fallback"]
            if next_best:
                message.set(INTENT, next_best[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, next_best, add_to_output=True)
                return
        check_in = {"name": CHECK_IN_INTENT, "confidence": intent.get("confidence", 0.0)}
        message.set(INTENT, check_in, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [check_in, *ranking], add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageGuard(_UntrainedComponent):
    """Adds a ``language`` entity (nl, en, fr or other) when a message clearly shows it.

    - A typed request ("english please", "in het Frans") becomes ``choose_language``.
    - A language the assistant does not speak becomes ``unsupported_language``, unless the
      crisis guard found a red flag: then the crisis response stays, in the language of the
      red flag (the crisis guard set it).
    """

    def __init__(self, identifier: LanguageIdentifier) -> None:
        self.identifier = identifier

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LanguageGuard:
        return cls(LanguageIdentifier())

    def process_message(self, message: Message) -> None:
        text = message.get(TEXT)
        requested = self.identifier.requested(text)
        if requested:
            _force_intent(message, CHOOSE_LANGUAGE_INTENT)
            _add_entity(message, LANGUAGE_ENTITY, requested, "LanguageGuard")
            return
        if any(e.get("entity") == LANGUAGE_ENTITY for e in message.get(ENTITIES, [])):
            return
        guess = self.identifier.identify(text)
        if guess is None:
            return
        _add_entity(message, LANGUAGE_ENTITY, guess.language, "LanguageGuard")
        if guess.language == OTHER and (message.get(INTENT) or {}).get("name") != CRISIS_INTENT:
            _force_intent(message, UNSUPPORTED_LANGUAGE_INTENT)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class UserGroupDetector(_UntrainedComponent):
    """Adds a ``user_group`` entity when a message says who the person is, or is written
    in a language the assistant does not speak (runs after the LanguageGuard)."""

    def process_message(self, message: Message) -> None:
        detected = detect_user_group(message.get(TEXT))
        if detected:
            _add_entity(message, USER_GROUP_ENTITY, detected.group, "UserGroupDetector")
            return
        # No cue: someone who writes in a language the assistant does not speak is most
        # likely new here (a cue in a later message corrects it).
        languages = [
            e["value"] for e in message.get(ENTITIES, []) if e["entity"] == LANGUAGE_ENTITY
        ]
        if OTHER in languages:
            _add_entity(message, USER_GROUP_ENTITY, NEWCOMER_GROUP, "UserGroupDetector")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class UserGroupClassifier(_NgramComponent):
    """Guesses the user group when the cue lexicon found none (runs after the
    :class:`UserGroupDetector`).

    Trained on the example messages in ``examples`` (``data/user_groups/``), which show a
    group the way people imply it ("ik sta al tien jaar aan de kassa"), and on the NLU
    examples of ``none_intents`` as messages that say nothing about the writer. A guess
    counts only above ``set_above``: a wrong group changes the services a person is sent to.
    """

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa also asks with the config of a node it restores from its cache, which has
        # no "examples": that node's fingerprint does not depend on the files.
        examples = config.get("examples")
        return examples_fingerprint(Path(examples)) if examples else None

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = read_group_examples(Path(self.config["examples"]))
        none_intents = set(self.config.get("none_intents", []))
        for example in training_data.intent_examples:
            if example.get(INTENT) in none_intents and example.get(TEXT):
                texts.append(example.get(TEXT))
                labels.append(NO_GROUP)
        return self._store(NgramModel.train(texts, labels))

    def process_message(self, message: Message) -> None:
        if any(e.get("entity") == USER_GROUP_ENTITY for e in message.get(ENTITIES, [])):
            return
        probabilities = self.model.probabilities(message.get(TEXT))
        group, probability = max(probabilities.items(), key=lambda item: item[1])
        if group != NO_GROUP and probability > float(self.config.get("set_above", 1.0)):
            _add_entity(message, USER_GROUP_ENTITY, group, "UserGroupClassifier")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class KnownWordsGuard(_TrainedComponent):
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
