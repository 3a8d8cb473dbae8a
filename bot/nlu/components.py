"""Rasa NLU graph components: the crisis guard and the user-group detector.

Both are rule-based and untrained; they run after the classifiers in ``bot/config.yml``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.red_flags import find_red_flag, is_harmless_figure_of_speech
from bot.nlu.user_groups import detect_user_group

CRISIS_INTENT = "crisis"
CHECK_IN_INTENT = "crisis_check_in"
CRISIS_SIGNAL_ENTITY = "crisis_signal"
USER_GROUP_ENTITY = "user_group"


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


def _add_entity(message: Message, name: str, value: str) -> None:
    # No "extractor" key: these are not learned entities and stay out of entity F1.
    entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != name]
    entities.append({"entity": name, "value": value, "start": 0, "end": 0})
    message.set(ENTITIES, entities, add_to_output=True)


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
            crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
            message.set(INTENT, crisis, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
            _add_entity(message, CRISIS_SIGNAL_ENTITY, red_flag.category)
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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class UserGroupDetector(_UntrainedComponent):
    """Adds a ``user_group`` entity when a message says who the person is."""

    def process_message(self, message: Message) -> None:
        detected = detect_user_group(message.get(TEXT))
        if detected:
            _add_entity(message, USER_GROUP_ENTITY, detected.group)
