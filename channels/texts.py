"""What a channel says by itself, without Rasa: texts of the domain's responses.

The channels answer a few things on their own (too many messages, a store or the action
server down, the label of a counsellor's message). Their Dutch lives in the domain like
every other answer; this reads it once, when first needed. What is said after the
conversation is gone (an erasure's confirmation) has no tracker, so no language slot, to
pick a domain response by: it lives in ``texts.yml``, one text per language.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from rasa.shared.core.domain import Domain

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "bot" / "domain"
CATALOGUE = Path(__file__).with_name("texts.yml")


@lru_cache(maxsize=1)
def _domain() -> Domain:
    return Domain.load(str(DOMAIN_DIR))


def response_text(name: str) -> str:
    """The text of the domain response ``name`` (its first variation)."""
    return _domain().responses[name][0]["text"]


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, str]]:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def channel_text(name: str, language: str | None = None) -> str:
    """The text ``name`` of ``texts.yml`` in ``language`` (nl, en or fr), else in Dutch."""
    texts = _catalogue()[name]
    return texts.get(language or "nl") or texts["nl"]
