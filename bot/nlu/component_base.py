"""What the NLU components of this assistant (``bot/config.yml``) share: the plumbing of a
Rasa graph component with or without a trained part, and the names they pass on in the
parse data."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.ngram_model import NgramModel

CRISIS_INTENT = "crisis"
CHECK_IN_INTENT = "crisis_check_in"
FALLBACK_INTENT = "nlu_fallback"
CRISIS_SIGNAL_ENTITY = "crisis_signal"
CRISIS_RISK = "crisis_risk"  # the risk model's score, a message property
USER_GROUP_ENTITY = "user_group"
GUESSED_ROLE = "guessed"  # role of a user group the model guessed: it only fills an empty slot
LANGUAGE_ENTITY = "language"
LANGUAGE_SCORES = "language_scores"  # the language model's probabilities, a message property
NEWCOMER_GROUP = "migratieachtergrond"
CHOOSE_LANGUAGE_INTENT = "choose_language"
UNSUPPORTED_LANGUAGE_INTENT = "unsupported_language"


class UntrainedComponent(GraphComponent):
    """Shared plumbing of a component that needs no training."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UntrainedComponent:
        return cls.from_config(config)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> UntrainedComponent:
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


def add_entity(
    message: Message, name: str, value: str, extractor: str, role: str | None = None
) -> None:
    """Add a whole-message entity (it describes the message, not a span of it)."""
    entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != name]
    entity = {"entity": name, "value": value, "start": 0, "end": 0, "extractor": extractor}
    if role:
        entity["role"] = role
    entities.append(entity)
    message.set(ENTITIES, entities, add_to_output=True)


def force_intent(message: Message, name: str) -> None:
    """Put intent ``name`` first, with full confidence, over the classifiers' guess."""
    forced = {"name": name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r["name"] != name]
    message.set(INTENT, forced, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [forced, *ranking], add_to_output=True)


class TrainedComponent(GraphComponent):
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
    ) -> TrainedComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TrainedComponent:
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


def examples_fingerprint(directory: Path) -> str:
    """A digest of the example files in ``directory``, so that Rasa retrains when they change."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


class NgramComponent(TrainedComponent):
    """A component around one :class:`NgramModel`, trained on the NLU examples and, where
    its config names a directory ``examples``, on the example files there."""

    MODEL_FILE = "model.joblib"
    model: NgramModel | None = None

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa also asks with the config of a node it restores from its cache, which has
        # no "examples": that node's fingerprint does not depend on the files.
        examples = config.get("examples")
        return examples_fingerprint(Path(examples)) if examples else None

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
