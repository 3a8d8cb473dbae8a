"""The held-out sets stay apart from the training data: no message, and no message with the
same set of words, of ``tests/data/eval`` or a development set (``eval_dev``, ``eval_dev_risk``)
is a training example (NLU examples, the user-group and the risk examples alike)."""

from __future__ import annotations

import re

import yaml

from bot.nlu.chat_text import plain
from bot.nlu.crisis_components import read_risk_examples
from bot.nlu.user_groups import read_group_examples
from settings import PROJECT_DIR

ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")
MIN_WORDS = 3  # "hallo" or "bedankt" may be said anywhere


def _words(text: str) -> frozenset[str]:
    return frozenset(plain(ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text)).split())


def training_examples() -> list[str]:
    examples = []
    for path in sorted((PROJECT_DIR / "data" / "nlu").rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                examples += [
                    line[2:] for line in block["examples"].splitlines() if line[:2] == "- "
                ]
    # The example files read by the readers that training uses.
    examples += read_group_examples(PROJECT_DIR / "data" / "user_groups")[0]
    examples += read_risk_examples(PROJECT_DIR / "data" / "risk")[0]
    return examples


def held_out_messages() -> list[tuple[str, str]]:
    messages = []
    for directory in ("eval", "eval_dev", "eval_dev_risk"):
        for path in sorted((PROJECT_DIR / "tests" / "data" / directory).glob("*.yml")):
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
                for turn in item["turns"]:
                    messages.append((item["id"], turn["text"] if isinstance(turn, dict) else turn))
    return messages


def leaked(examples: list[str], messages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The held-out messages whose set of words is that of a training example."""
    trained = {_words(example) for example in examples}
    return [
        (item_id, text)
        for item_id, text in messages
        if len(_words(text)) >= MIN_WORDS and _words(text) in trained
    ]


def test_no_held_out_message_or_its_words_are_in_the_training_data():
    assert leaked(training_examples(), held_out_messages()) == []


def test_the_check_sees_both_sides():
    assert len(training_examples()) > 1000
    assert len(held_out_messages()) > 1000


def test_a_copied_or_reordered_message_would_be_caught():
    messages = [m for m in held_out_messages() if len(_words(m[1])) >= MIN_WORDS][:2]
    copied = messages[0][1].upper() + "!"
    reordered = " ".join(reversed(messages[1][1].split()))
    assert leaked([copied, reordered, "iets heel anders"], messages) == messages
    assert _words("Ik wil [lasser](occupation) worden!") == _words("worden ik wil lasser")
