"""Start the real Rasa server and action server once for all end-to-end tests."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from ops.launcher import start_stack
from ops.processes import Stack, free_port
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
TELEGRAM_TOKEN = "123456:e2e-test-token"
TELEGRAM_SECRET = "e2e-telegram-secret"


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
        telegram_api_url=telegram_api_url,
        messages_per_address=0,  # every test talks from 127.0.0.1; the limit is tested apart
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


class FakeTelegram:
    """A local fake of the Telegram Bot API: a real HTTP server that records every call.

    ``failures[method]`` is a list of HTTP statuses to answer before answering normally.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.failures: dict[str, list[int]] = {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()

    async def _handle(self, request):
        from aiohttp import web

        method = request.match_info["method"]
        payload = await request.json() if request.can_read_body else {}
        with self._lock:
            self.calls.append((method, payload))
            planned = self.failures.get(method) or []
            status = planned.pop(0) if planned else 200
        if status == 429:
            body = {"ok": False, "error_code": 429, "parameters": {"retry_after": 0.2}}
            return web.json_response(body, status=429)
        if status != 200:
            return web.json_response({"ok": False, "error_code": status}, status=status)
        result = {"message_id": len(self.calls)} if method == "sendMessage" else True
        return web.json_response({"ok": True, "result": result})

    def start(self) -> None:
        import asyncio

        from aiohttp import web

        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_post("/bot{token}/{method}", self._handle)
            runner = web.AppRunner(app)
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            ready.set()
            loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        ready.wait(10)

    def sent(self, chat_id: int) -> list[dict]:
        with self._lock:
            return [p for m, p in self.calls if m == "sendMessage" and p.get("chat_id") == chat_id]

    def methods(self) -> list[str]:
        with self._lock:
            return [m for m, _ in self.calls]


@pytest.fixture(scope="session")
def fake_telegram() -> FakeTelegram:
    fake = FakeTelegram()
    fake.start()
    return fake
