"""Connectors served the way Rasa serves them, without a trained model.

``rasa.core.run.configure_app([channel])`` builds Rasa's own Sanic app with the channel's
blueprint; Rasa's agent is replaced by ``ScriptedAgent``, which sends the bot messages a
test gives it through the channel's output channel exactly as Rasa's processor does
(``send_response(sender, BotUttered.message())``). The app runs on a loopback port in the
test's event loop, and the tests talk to it over HTTP and WebSocket with aiohttp: Sanic's
own test client (``sanic-testing``) is not installed with Rasa 3.6 and cannot hold a
WebSocket conversation.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.run import configure_app
from rasa.shared.core.events import BotUttered
from sanic import Sanic

from database import dispose_engines
from handoff.schema import migrate
from ops.launcher import free_port
from settings import load_settings
from tests.fake_telegram import FakeTelegram

IMAGE = "https://example.org/kaart.png"
ATTACHMENT = "https://example.org/gids.pdf?a=1&b=2"
# A response of every kind Rasa routes to its own output method.
EVERY_PART = [
    BotUttered("Kies <maar>.", {"buttons": [{"title": "Werk", "payload": "/werk"}]}),
    BotUttered(None, {"image": IMAGE}),
    BotUttered("Lees dit:", {"attachment": ATTACHMENT}),
    BotUttered(None, {"custom": {"kaart": "vdab"}}),
]


class ScriptedAgent:
    """Stands in for Rasa's agent: keeps what the channel passed on and answers with
    ``replies`` (or raises ``error``, as Rasa does when a store is down)."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []
        self.replies: list[BotUttered] = []
        self.error: Exception | None = None

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.error is not None:
            raise self.error
        for reply in self.replies:
            await message.output_channel.send_response(message.sender_id, reply.message())

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.received]


@contextlib.asynccontextmanager
async def serving(channel: InputChannel, agent: ScriptedAgent) -> AsyncIterator[str]:
    """Rasa's app with ``channel`` under /webhooks/, served on 127.0.0.1; yields its URL."""
    Sanic.test_mode = True  # every test builds Rasa's app anew under the same name
    app = configure_app([channel], enable_api=False)
    app.ctx.agent = agent
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


async def get_json(url: str) -> tuple[int, Any]:
    """The status and JSON body of ``GET url``."""
    async with aiohttp.ClientSession() as http, http.get(url) as reply:
        return reply.status, await reply.json()


@pytest.fixture
def agent() -> ScriptedAgent:
    return ScriptedAgent()


@pytest.fixture(autouse=True)
def deployment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The settings a connector reads besides its credentials: a handoff store of this
    test's own, no Redis, small limits."""
    for name in ("DATABASE_URL", "REDIS_URL", "WIDGET_ORIGINS", "ID_HASH_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MESSAGES_PER_CONVERSATION", "3")
    monkeypatch.setenv("MESSAGES_PER_ADDRESS", "0")
    migrate(load_settings().handoff_url)  # the start-up step, as the launcher runs it
    yield
    dispose_engines()


@pytest.fixture(scope="session")
def fake_telegram() -> FakeTelegram:
    fake = FakeTelegram()
    fake.start()
    return fake
