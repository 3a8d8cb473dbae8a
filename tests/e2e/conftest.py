"""Start the real Rasa server and action server once for all end-to-end tests."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from ops.launcher import start_stack
from ops.processes import Stack, free_port
from privacy.channel_ids import ChannelIdKeys
from settings import Settings
from tests.fake_telegram import FakeTelegram

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
TELEGRAM_TOKEN = "123456:e2e-test-token"
TELEGRAM_SECRET = "e2e-telegram-secret"
ID_HASH_KEY = "e2e-id-hash-key-of-at-least-32-characters"
ID_KEYS = ChannelIdKeys.from_setting(ID_HASH_KEY)


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


def running_stack(model_path: Path, var_dir: Path, telegram_api_url: str, **overrides):
    """Start a whole stack (Rasa, action server, web server) in ``var_dir``; a generator."""
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
        telegram_token=TELEGRAM_TOKEN,
        telegram_secret_token=TELEGRAM_SECRET,
        id_hash_key=ID_HASH_KEY,
        telegram_api_url=telegram_api_url,
        messages_per_address=0,  # every test talks from 127.0.0.1; the limit is tested apart
        metrics_port=free_port(),
    )
    settings = dataclasses.replace(settings, **overrides)
    with open(var_dir / "stack.log", "wb") as log:
        running = start_stack(settings, log=log)
        yield running
        running.stop()


def running_scaled_stack(
    model_path: Path, var_dir: Path, telegram_api_url: str, database: str, redis_url: str
):
    """A stack in the scaled set-up on a fresh PostgreSQL database; a generator."""
    from ops.scaled_setup import recreate_database
    from tests.databases import postgres_url, require_redis

    server = postgres_url().rsplit("/", 1)[0]
    require_redis()
    yield from running_stack(
        model_path,
        var_dir,
        telegram_api_url,
        database_url=recreate_database(f"{server}/{database}"),
        redis_url=redis_url,
        rasa_workers=2,
    )


@pytest.fixture(scope="session")
def stack(model_path: Path, tmp_path_factory, fake_telegram) -> Stack:
    yield from running_stack(model_path, tmp_path_factory.mktemp("var"), fake_telegram.url)


@pytest.fixture
def assistant(stack: Stack) -> Assistant:
    return Assistant(stack=stack, sender=uuid.uuid4().hex)


@pytest.fixture(scope="session")
def fake_telegram() -> FakeTelegram:
    fake = FakeTelegram()
    fake.start()
    return fake
