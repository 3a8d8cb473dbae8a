"""User group: the cue lexicon, then a small n-gram model when the cues find nothing."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.component_base import (
    GUESSED_ROLE,
    LANGUAGE_ENTITY,
    NEWCOMER_GROUP,
    USER_GROUP_ENTITY,
    NgramComponent,
    UntrainedComponent,
    add_entity,
)
from bot.nlu.language import OTHER
from bot.nlu.ngram_model import NgramModel
from bot.nlu.user_groups import (
    NO_GROUP,
    detect_user_group,
    read_group_examples,
    speaks_of_self,
)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class UserGroupDetector(UntrainedComponent):
    """Adds a ``user_group`` entity when a message says who the person is, or is written
    in a language the assistant does not speak (runs after the LanguageGuard).

    Only a message that speaks of its writer can say who they are: in "wat is een
    graduaat" the cue word names the topic, not the person (``speaks_of_self``)."""

    def process_message(self, message: Message) -> None:
        languages = [
            e["value"] for e in message.get(ENTITIES, []) if e["entity"] == LANGUAGE_ENTITY
        ]
        text = message.get(TEXT)
        detected = detect_user_group(text) if speaks_of_self(text, "fr" in languages) else None
        if detected:
            add_entity(message, USER_GROUP_ENTITY, detected.group, "UserGroupDetector")
            return
        # No cue: someone who writes in a language the assistant does not speak is most
        # likely new here (a cue in a later message corrects it).
        if OTHER in languages:
            add_entity(message, USER_GROUP_ENTITY, NEWCOMER_GROUP, "UserGroupDetector")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class UserGroupClassifier(NgramComponent):
    """Guesses the user group when the cue lexicon found none (runs after the
    :class:`UserGroupDetector`).

    Trained on the example messages in ``examples`` (``data/user_groups/``), which show a
    group the way people imply it ("ik sta al tien jaar aan de kassa"), and on NLU examples
    as messages that say nothing about the writer: those of ``none_intents``, and those of
    every other intent that hold no cue of a group (else the model learns a topic's words,
    "loopbaanbegeleiding", as a group's, and guesses a group for a bare request). A guess
    counts only above ``set_above``: a wrong group changes the services a person is sent to.
    The guess has the role ``guessed``: it fills an empty ``user_group`` slot and never
    replaces a group the person stated (``action_guess_user_group``).
    """

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = read_group_examples(Path(self.config["examples"]))
        none_intents = set(self.config.get("none_intents", []))
        for example in training_data.intent_examples:
            text = example.get(TEXT)
            if text and (example.get(INTENT) in none_intents or not detect_user_group(text)):
                texts.append(text)
                labels.append(NO_GROUP)
        return self._store(NgramModel.train(texts, labels))

    def process_message(self, message: Message) -> None:
        entities = message.get(ENTITIES, [])
        if any(e.get("entity") == USER_GROUP_ENTITY for e in entities):
            return
        french = any(e.get("entity") == LANGUAGE_ENTITY and e["value"] == "fr" for e in entities)
        if not speaks_of_self(message.get(TEXT), french):
            return
        probabilities = self.model.probabilities(message.get(TEXT))
        group, probability = max(probabilities.items(), key=lambda item: item[1])
        if group != NO_GROUP and probability > float(self.config.get("set_above", 1.0)):
            add_entity(message, USER_GROUP_ENTITY, group, "UserGroupClassifier", GUESSED_ROLE)
