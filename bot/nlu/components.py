"""Rasa NLU graph components: the crisis guard and the user-group detector.

Both are rule-based and untrained; they run after the classifiers in ``bot/config.yml``.
"""

from __future__ import annotations

import json
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
from bot.nlu.red_flags import find_red_flag, is_harmless_figure_of_speech
from bot.nlu.topic_keywords import named_questions
from bot.nlu.user_groups import detect_user_group

CRISIS_INTENT = "crisis"
CHECK_IN_INTENT = "crisis_check_in"
FALLBACK_INTENT = "nlu_fallback"
CRISIS_SIGNAL_ENTITY = "crisis_signal"
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
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TopicKeywords:
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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(_UntrainedComponent):
    """Turns crisis signals into the ``crisis`` or ``crisis_check_in`` intent.

    - A red flag from the reviewed lexicon forces ``crisis``, over any classifier output
      (including the fallback): crisis lines first, urgent follow-up.
    - A crisis guess of the classifier alone becomes ``crisis_check_in``: the assistant
      shows the crisis lines and asks how the person is, instead of raising an alarm.
    - A known harmless figure of speech ("ik ga dood van de stress") with a crisis guess
      gets the next intent of the ranking.
    """

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
        intent = message.get(INTENT) or {}
        if intent.get("name") != CRISIS_INTENT:
            return
        if is_harmless_figure_of_speech(text):
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
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageGuard:
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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class KnownWordsGuard(GraphComponent):
    """Sends a message without a single known word to the fallback.

    A classifier gives gibberish ("xqzt vlorp") some intent with fair confidence. A word
    is known when it occurs in the training data or its lookup tables, or when spaCy's
    Dutch lemma table knows it (its lemma differs from the word). Messages with an
    entity are left alone.
    """

    VOCABULARY_FILE = "vocabulary.json"

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, vocabulary: set[str]
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnownWordsGuard:
        return cls(model_storage, resource, set())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KnownWordsGuard:
        with model_storage.read_from(resource) as path:
            words = json.loads((path / cls.VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(model_storage, resource, set(words))

    def train(self, training_data: TrainingData) -> Resource:
        texts = [m.get(TEXT) or "" for m in training_data.training_examples]
        for table in training_data.lookup_tables:
            texts.extend(str(element) for element in table.get("elements", []))
        self.vocabulary = {word for text in texts for word in normalise(text).split()}
        with self._model_storage.write_to(self._resource) as path:
            (path / self.VOCABULARY_FILE).write_text(
                json.dumps(sorted(self.vocabulary), ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

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
