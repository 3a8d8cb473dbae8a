"""The held-out sets stay apart from the training data: no message, and no message with the
same set of words, of ``tests/data/eval`` or ``tests/data/eval_dev`` is a training example."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.nlu.chat_text import plain
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
    return examples


def held_out_messages() -> list[tuple[str, str]]:
    messages = []
    for directory in ("eval", "eval_dev"):
        for path in sorted((PROJECT_DIR / "tests" / "data" / directory).glob("*.yml")):
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
                for turn in item["turns"]:
                    messages.append((item["id"], turn["text"] if isinstance(turn, dict) else turn))
    return messages


def test_no_held_out_message_or_its_words_are_in_the_training_data():
    trained = {_words(example) for example in training_examples()}
    leaked = [
        (item_id, text)
        for item_id, text in held_out_messages()
        if len(_words(text)) >= MIN_WORDS and _words(text) in trained
    ]
    assert leaked == []


def test_the_check_sees_both_sides():
    assert len(training_examples()) > 1000
    assert len(held_out_messages()) > 1000
    assert _words("Ik wil [lasser](occupation) worden!") == _words("worden ik wil lasser")


def test_a_copied_message_would_be_caught(tmp_path: Path):
    item_id, text = next(m for m in held_out_messages() if len(_words(m[1])) >= MIN_WORDS)
    assert _words(text.upper() + " ") in {_words(text)}
