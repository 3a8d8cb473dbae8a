"""The training data, domain and actions fit together."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.core.constants import DEFAULT_INTENTS
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.loading import load_data

from actions.occupations import FIGURE_KINDS
from actions.topic_catalogue import ANSWERS

PROJECT = Path(__file__).resolve().parents[2]
# Intents set by a component, never predicted from examples.
COMPONENT_INTENTS = {"crisis_check_in", "choose_language", "unsupported_language"}
# Intents only ever sent by a button payload or a channel, never typed.
BUTTON_INTENTS = {
    "rate_conversation",
    "unsupported_message",
    "message_too_long",
    "empty_message",
    "something_else",
}
MIN_EXAMPLES = 25


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT / "bot" / "domain"))


@pytest.fixture(scope="module")
def examples_per_intent() -> Counter:
    data = load_data(str(PROJECT / "data" / "nlu"))
    return Counter(m.get("intent") for m in data.intent_examples)


def _responses_named_in_actions() -> set[str]:
    names = set()
    for path in (PROJECT / "actions").glob("*.py"):
        names |= set(re.findall(r'"(utter_\w+)"', path.read_text(encoding="utf-8")))
    # The console makes the bot say these through Rasa's HTTP API (execute).
    for path in (PROJECT / "channels").rglob("*.py"):
        names |= set(re.findall(r'"(utter_\w+)"', path.read_text(encoding="utf-8")))
    # "Bedoel je ...?" reads its button texts from utter_label_<intent> (actions/clarification.py).
    labels = {f"utter_label_{intent}" for intent in [*ANSWERS, "something_else", "ask_human"]}
    figures = {f"utter_figure_{kind}" for kind in FIGURE_KINDS}
    return names | set(ANSWERS.values()) | figures | labels


def test_every_intent_has_enough_varied_examples(domain, examples_per_intent):
    for intent in set(domain.intents) - COMPONENT_INTENTS - BUTTON_INTENTS - set(DEFAULT_INTENTS):
        assert examples_per_intent[intent] >= MIN_EXAMPLES, intent


def test_nlu_data_uses_only_domain_intents(domain, examples_per_intent):
    assert set(examples_per_intent) <= set(domain.intents)


def test_responses_used_by_actions_exist(domain):
    missing = _responses_named_in_actions() - set(domain.responses)
    assert not missing


def test_user_group_slot_has_the_eleven_values(domain):
    slot = next(s for s in domain.slots if s.name == "user_group")
    assert len([v for v in slot.values if v != "__other__"]) == 11
    assert "ouder_of_begeleider" in slot.values


@pytest.mark.parametrize(
    "response",
    sorted(set(ANSWERS.values()) | {"utter_default", "utter_out_of_scope", "utter_iamabot"}),
)
def test_every_answer_offers_a_way_to_a_human(domain, response):
    for variation in domain.responses[response]:
        payloads = [b["payload"] for b in variation.get("buttons", [])]
        assert "/ask_human" in payloads, (response, variation.get("condition"))


def test_rasa_data_validate_only_warns_about_responses_sent_by_actions():
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("rasa")),
            "data",
            "validate",
            "--domain",
            "bot/domain",
            "--data",
            "data/nlu",
            "bot/rules",
            "bot/stories",
            "--config",
            "bot/config.yml",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    output = result.stdout + result.stderr
    unused = set(
        re.findall(r"The utterance '(utter_\w+)' is not used in any story or rule", output)
    )
    # utter_restart is sent by Rasa's own action_restart.
    assert unused <= _responses_named_in_actions() | {"utter_how_can_i_help", "utter_restart"}
    allowed = ["is not used in any story or rule"] + [
        f"The intent '{intent}' is listed in the domain file, but is not found in the NLU"
        for intent in COMPONENT_INTENTS | BUTTON_INTENTS
    ]
    other_warnings = [
        line
        for line in output.splitlines()
        if "UserWarning" in line and not any(a in line for a in allowed)
    ]
    assert not other_warnings, other_warnings
