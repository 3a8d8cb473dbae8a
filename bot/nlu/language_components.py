"""Language: the guard that sets the conversation's language on clear evidence."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component_base import (
    CHOOSE_LANGUAGE_INTENT,
    CRISIS_INTENT,
    LANGUAGE_ENTITY,
    UNSUPPORTED_LANGUAGE_INTENT,
    UntrainedComponent,
    add_entity,
    force_intent,
)
from bot.nlu.language import OTHER, SPOKEN, LanguageIdentifier


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageGuard(UntrainedComponent):
    """Adds a ``language`` entity (nl, en, fr or other) when a message clearly shows it.

    - A typed request ("english please", "in het Frans") becomes ``choose_language``.
    - A language the assistant does not speak becomes ``unsupported_language``, unless the
      crisis guard found a red flag: then the crisis response stays, in the language of the
      red flag (the crisis guard set it), or in the message's own language when it is
      clearly Dutch, English or French.
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
            force_intent(message, CHOOSE_LANGUAGE_INTENT)
            add_entity(message, LANGUAGE_ENTITY, requested, "LanguageGuard")
            return
        entities = message.get(ENTITIES, [])
        set_by_crisis_guard = [e for e in entities if e.get("entity") == LANGUAGE_ENTITY]
        guess = self.identifier.identify(text)
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
