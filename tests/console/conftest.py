"""The console app on a real handoff store, talking to a local fake of Rasa's HTTP API."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from channels.console.app import init_app
from channels.console.config import ConsoleConfig
from handoff.accounts import add_counsellor

PASSWORD = "een heel geheim wachtwoord"


@dataclass
class FakeRasa:
    """Records what the console asks of Rasa; serves a small tracker per conversation."""

    calls: list[tuple[str, str, dict, object]] = field(default_factory=list)
    events: dict[str, list[dict]] = field(default_factory=dict)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/conversations/{id}/tracker", self.tracker)
        app.router.add_post("/conversations/{id}/tracker/events", self.append)
        app.router.add_post("/conversations/{id}/execute", self.execute)
        app.router.add_post("/webhooks/widget/signal", self.signal)
        return app

    def record(self, request: web.Request, body) -> None:
        self.calls.append((request.method, request.path, dict(request.query), body))

    async def tracker(self, request: web.Request) -> web.Response:
        self.record(request, None)
        return web.json_response({"events": self.events.get(request.match_info["id"], [])})

    async def append(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.record(request, body)
        self.events.setdefault(request.match_info["id"], []).extend(body)
        return web.json_response({})

    async def execute(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.record(request, body)
        return web.json_response({})

    async def signal(self, request: web.Request) -> web.Response:
        self.record(request, await request.json())
        return web.json_response({"reached": 1})

    def paths(self, suffix: str) -> list[tuple]:
        return [call for call in self.calls if call[1].endswith(suffix)]


@pytest.fixture
async def fake_rasa():
    fake = FakeRasa()
    server = TestServer(fake.app())
    await server.start_server()
    yield fake, str(server.make_url("")).rstrip("/")
    await server.close()


@pytest.fixture(scope="session")
def knowledge_url(tmp_path_factory) -> str:
    from knowledge.build import build_store

    url = f"sqlite:///{tmp_path_factory.mktemp('console-knowledge') / 'knowledge.db'}"
    build_store(url)
    return url


@pytest.fixture
def soft_limit_minutes() -> int:
    return 45


@pytest.fixture
async def aiohttp_client():
    """Start an app on a local test server; its client (as pytest-aiohttp's fixture)."""
    clients: list[TestClient] = []

    async def start(app: web.Application) -> TestClient:
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


@pytest.fixture
def console_config(fake_rasa, tmp_path, knowledge_url, soft_limit_minutes) -> ConsoleConfig:
    """The test configuration: a fresh handoff store with three counsellors (an, bo, cas),
    a supervisor (sam) and an admin (ada); the fake Rasa."""
    url = f"sqlite:///{tmp_path / 'handoff.db'}"
    for name in ("an", "bo", "cas"):
        add_counsellor(url, name, PASSWORD)
    add_counsellor(url, "sam", PASSWORD, role="supervisor")
    add_counsellor(url, "ada", PASSWORD, role="admin")
    return ConsoleConfig(
        database_url=url,
        rasa_url=fake_rasa[1],
        rasa_token="test-token",
        poll_seconds=0.2,
        knowledge_url=knowledge_url,
        soft_limit_minutes=soft_limit_minutes,
    )


@pytest.fixture
async def console(fake_rasa, console_config, aiohttp_client):
    client = await aiohttp_client(await init_app(console_config))
    client.fake_rasa = fake_rasa[0]
    client.database_url = console_config.database_url
    return client


async def login(client: TestClient, username: str = "an") -> str:
    """Log in on this client's cookie jar; the CSRF token."""
    response = await client.post("/api/login", json={"username": username, "password": PASSWORD})
    assert response.status == 200
    return (await response.json())["csrf_token"]
