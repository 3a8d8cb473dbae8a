"""Start the real Rasa server and action server once for all end-to-end tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bot.launcher import Stack, free_port, start_stack
from settings import Settings

# The stack reads its opening hours from this file on every request: tests that need the
# chat closed rewrite it and put it back.
ALWAYS_OPEN = """timezone: Europe/Brussels
weekly:
  monday: ["00:00-24:00"]
  tuesday: ["00:00-24:00"]
  wednesday: ["00:00-24:00"]
  thursday: ["00:00-24:00"]
  friday: ["00:00-24:00"]
  saturday: ["00:00-24:00"]
  sunday: ["00:00-24:00"]
"""
NEVER_OPEN = """timezone: Europe/Brussels
weekly: {}
"""


@dataclass
class Assistant:
    """A client for the running assistant: one anonymous conversation per instance."""

    stack: Stack
    sender: str

    @property
    def url(self) -> str:
        return self.stack.settings.rasa_url

    def say(self, message: str) -> list[dict]:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": message},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def tracker(self) -> dict:
        response = requests.get(
            f"{self.url}/conversations/{self.sender}/tracker",
            params={"token": self.stack.token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def slot(self, name: str):
        return self.tracker()["slots"].get(name)


@pytest.fixture(scope="session")
def stack(model_path: Path, tmp_path_factory) -> Stack:
    var_dir = tmp_path_factory.mktemp("var")
    hours = var_dir / "opening_hours.yml"
    hours.write_text(ALWAYS_OPEN, encoding="utf-8")
    settings = Settings(
        rasa_port=free_port(),
        action_port=free_port(),
        rasa_token="e2e-" + uuid.uuid4().hex,
        var_dir=var_dir,
        model_path=model_path,
        web_port=free_port(),
        opening_hours_file=hours,
    )
    with open(var_dir / "stack.log", "wb") as log:
        running = start_stack(settings, log=log)
        yield running
        running.stop()


@pytest.fixture
def assistant(stack: Stack) -> Assistant:
    return Assistant(stack=stack, sender=uuid.uuid4().hex)
