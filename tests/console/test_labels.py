"""The console names every user group, question and button the bot knows in words: a
value without a label would show the counsellor its internal name."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from actions.topic_catalogue import ANSWERS
from channels.console.texts import TEXTS
from channels.console.transcript import button_label

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain"


def _domain() -> list[dict]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in DOMAIN.glob("*.yml")]


def _payloads() -> set[str]:
    """Every button payload in the domain's responses, as the person's message carries it."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in DOMAIN.glob("*.yml"))
    quoted = re.findall(r"payload:\s*(?:\"([^\"]+)\"|'([^']+)')", text)
    return {(a or b).replace("{{", "{").replace("}}", "}") for a, b in quoted}


def test_every_user_group_and_topic_has_a_label():
    groups = next(
        d["slots"]["user_group"]["values"] for d in _domain() if "user_group" in d.get("slots", {})
    )
    assert set(groups) <= set(TEXTS.labels.user_groups)
    assert set(ANSWERS) <= set(TEXTS.labels.topics)


def test_every_button_in_the_domain_shows_in_words():
    payloads = _payloads()
    assert len(payloads) > 30  # the parse found the buttons
    for payload in payloads:
        label = button_label(payload)
        assert label != TEXTS.transcript.button.format(label=TEXTS.transcript.other_button), payload
        assert "_" not in label and "{" not in label, payload
