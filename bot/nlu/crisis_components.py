"""Crisis: the risk scorer (a small n-gram model) and the crisis guard (red-flag lexicons,
then the risk score)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.component_base import (
    CHECK_IN_INTENT,
    CRISIS_INTENT,
    CRISIS_RISK,
    CRISIS_SIGNAL_ENTITY,
    LANGUAGE_ENTITY,
    NgramComponent,
    UntrainedComponent,
    add_entity,
    force_intent,
)
from bot.nlu.language import OTHER, SPOKEN
from bot.nlu.ngram_model import NgramModel
from bot.nlu.red_flags import find_red_flag, is_harmless_figure_of_speech, tells_of_violence

RISK_LABELS = {"crisis": "crisis", "not_crisis": "other"}  # example-file key -> label


def read_risk_examples(directory: Path) -> tuple[list[str], list[str]]:
    """The messages in ``directory`` (one YAML file per language, with ``crisis`` and
    ``not_crisis`` lists) and their risk-model labels."""
    texts: list[str] = []
    labels: list[str] = []
    for path in sorted(directory.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, label in RISK_LABELS.items():
            messages = raw.get(key) or []
            texts.extend(messages)
            labels.extend([label] * len(messages))
    return texts, labels


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class RiskScorer(NgramComponent):
    """Scores every message with a crisis risk model (:mod:`bot.nlu.ngram_model`) trained
    on the ``crisis`` examples of every language against all others, and on the danger and
    look-alike messages in ``examples`` (``data/risk/``, also in languages the assistant
    does not speak); the crisis guard after it decides what the score means."""

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        texts = [m.get(TEXT) for m in examples]
        labels = ["crisis" if m.get(INTENT) == CRISIS_INTENT else "other" for m in examples]
        if self.config.get("examples"):
            more_texts, more_labels = read_risk_examples(Path(self.config["examples"]))
            texts += more_texts
            labels += more_labels
        strength = float(self.config.get("strength", 4.0))
        return self._store(NgramModel.train(texts, labels, strength=strength))

    def process_message(self, message: Message) -> None:
        message.set(CRISIS_RISK, self.model.probabilities(message.get(TEXT))["crisis"])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(UntrainedComponent):
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
            force_intent(message, CRISIS_INTENT)
            add_entity(message, CRISIS_SIGNAL_ENTITY, red_flag.category, "CrisisGuard")
            # The crisis lines come in the language the red flag was written in.
            language = red_flag.language if red_flag.language in SPOKEN else OTHER
            add_entity(message, LANGUAGE_ENTITY, language, "CrisisGuard")
            return
        harmless = is_harmless_figure_of_speech(text)
        risk = message.get(CRISIS_RISK) or 0.0
        if risk > self.alarm_above and not harmless:
            force_intent(message, CRISIS_INTENT)
            # No lexicon category: "abuse" when violence is named (its own lines), else "risk".
            category = "abuse" if tells_of_violence(text) else "risk"
            add_entity(message, CRISIS_SIGNAL_ENTITY, category, "CrisisGuard")
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
