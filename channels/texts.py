"""What a channel says by itself, without Rasa: texts of the domain's responses.

The channels answer a few things on their own (too many messages, a store or the action
server down, the label of a counsellor's message). Their Dutch lives in the domain like
every other answer; this reads it once, when first needed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rasa.shared.core.domain import Domain

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "bot" / "domain"


@lru_cache(maxsize=1)
def _domain() -> Domain:
    return Domain.load(str(DOMAIN_DIR))


def response_text(name: str) -> str:
    """The text of the domain response ``name`` (its first variation)."""
    return _domain().responses[name][0]["text"]
