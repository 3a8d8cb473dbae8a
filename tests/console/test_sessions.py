"""Login, session and socket fixes (issue 14, item 8): each test fails without its fix."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hmac

import pytest
from aiohttp import WSMsgType

import database
from channels.console import auth
from channels.console.app import init_app
from channels.console.hub import SESSION_ENDED, Hub
from channels.console.security import LoginLimiter
from handoff import accounts
from handoff.models import CounsellorSession
from tests.console.conftest import PASSWORD, login
from tests.console.test_api import login_as, other_session


def _origin(client) -> dict[str, str]:
    return {"Origin": f"http://{client.host}:{client.port}"}


async def _wrong(client, username: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = await client.post(
        "/api/login", json={"username": username, "password": "fout wachtwoord"}, headers=headers
    )
    return response.status


async def test_concurrent_guesses_are_counted_before_the_password_is_verified(console):
    """30 guesses at once: only the first five get a password check, the rest 429."""
    statuses = await asyncio.gather(*(_wrong(console, "bo") for _ in range(30)))
    assert statuses.count(401) == 5 and statuses.count(429) == 25


async def test_a_login_that_succeeds_gives_back_only_its_own_attempt(console):
    for name in ("x1", "x2", "x3", "x4"):
        assert await _wrong(console, name) == 401
    await login(console, "an")  # an's success must not wipe the address's other failures
    limiter = console.server.app[auth.LIMITER]
    assert len(limiter._attempts[f"addr:{console.host}"]) == 4


async def _started(console_config, aiohttp_client, **changes):
    """The console with changed settings; its test client."""
    return await aiohttp_client(await init_app(dataclasses.replace(console_config, **changes)))


@pytest.fixture
async def proxied(console_config, aiohttp_client):
    """The console behind a reverse proxy on 127.0.0.1 (the test client's address)."""
    return await _started(console_config, aiohttp_client, trusted_proxies=("127.0.0.1",))


async def test_behind_a_trusted_proxy_the_address_limit_is_per_client(proxied):
    console = proxied
    # One client fails twenty times over several usernames: it is blocked, not the others.
    for i in range(20):
        assert await _wrong(console, f"naam{i}", forwarded="203.0.113.7") == 401
    assert await _wrong(console, "an", forwarded="203.0.113.7") == 429
    response = await console.post(
        "/api/login",
        json={"username": "an", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.4"},
    )
    assert response.status == 200


async def test_behind_a_trusted_proxy_the_username_limit_holds_across_addresses(proxied):
    console = proxied
    for i in range(5):
        assert await _wrong(console, "bo", forwarded=f"203.0.113.{i}") == 401
    assert await _wrong(console, "bo", forwarded="198.51.100.9") == 429


async def test_a_forwarded_address_is_not_believed_from_an_untrusted_peer(console):
    """Without TRUSTED_PROXIES a spoofed X-Forwarded-For does not escape the address limit."""
    for i in range(20):
        assert await _wrong(console, f"naam{i}", forwarded=f"203.0.113.{i}") == 401
    assert await _wrong(console, "an", forwarded="198.51.100.4") == 429


async def test_a_proxy_that_is_not_trusted_cannot_name_the_client(console_config, aiohttp_client):
    """Trusted is 10.0.0.0/8, the test client is 127.0.0.1: its header is ignored."""
    console = await _started(console_config, aiohttp_client, trusted_proxies=("10.0.0.0/8",))
    for i in range(20):
        assert await _wrong(console, f"naam{i}", forwarded=f"203.0.113.{i}") == 401
    assert await _wrong(console, "an", forwarded="198.51.100.4") == 429


def test_the_limiter_keeps_a_bounded_number_of_keys():
    limiter = LoginLimiter(attempts=5, window_seconds=300, max_keys=100)
    for i in range(5000):
        limiter.attempt(f"user:naam{i}", "addr:192.0.2.1" if i % 2 else f"addr:10.0.{i}")
    assert len(limiter) <= 100


async def test_the_csrf_token_is_compared_in_constant_time(console, monkeypatch):
    compared = []

    def compare_digest(a, b):
        compared.append((a, b))
        return hmac.compare_digest(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", compare_digest)
    csrf = await login(console)
    await console.post("/api/conversations/x/claim", headers={"X-CSRF-Token": csrf[:-1] + "?"})
    assert compared and compared[-1][1] == csrf.encode()


async def test_secure_cookies_behind_a_tls_proxy(console, console_config, aiohttp_client):
    response = await console.post("/api/login", json={"username": "an", "password": PASSWORD})
    assert not response.cookies["console_session"]["secure"]  # plain HTTP, no setting
    behind_tls = await _started(console_config, aiohttp_client, secure_cookies=True)
    response = await behind_tls.post("/api/login", json={"username": "an", "password": PASSWORD})
    assert response.cookies["console_session"]["secure"]


async def _closed_with(socket, timeout: float = 5) -> int | None:
    """Wait for the socket to close; its close code (None when it stayed open)."""
    try:
        while True:
            message = await socket.receive(timeout=timeout)
            if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
                return socket.close_code
    except asyncio.TimeoutError:
        return None


async def test_logout_closes_the_sessions_socket_at_once(console):
    csrf = await login(console)
    async with console.ws_connect("/api/stream", headers=_origin(console)) as socket:
        assert (await socket.receive_json(timeout=5))["type"] == "overview"
        await console.post("/api/logout", headers={"X-CSRF-Token": csrf})
        assert await _closed_with(socket, timeout=2) == SESSION_ENDED


def _age_sessions(url: str, minutes: int) -> None:
    then = accounts.utc_now() - dt.timedelta(minutes=minutes)
    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        for row in session.query(CounsellorSession):
            row.last_action = then


async def test_an_expired_session_closes_its_socket(console):
    await login(console)
    async with console.ws_connect("/api/stream", headers=_origin(console)) as socket:
        assert (await socket.receive_json(timeout=5))["type"] == "overview"
        _age_sessions(console.database_url, 31)
        assert await _closed_with(socket, timeout=3) == SESSION_ENDED


async def test_a_disabled_account_loses_its_sessions_and_sockets_at_once(console):
    await login(console, "an")
    async with other_session(console) as admin:
        token = await login_as(admin, "ada")
        async with console.ws_connect("/api/stream", headers=_origin(console)) as socket:
            assert (await socket.receive_json(timeout=5))["type"] == "overview"
            async with admin.post(
                "/api/accounts/an/disable", headers={"X-CSRF-Token": token}
            ) as response:
                assert response.status == 200
            assert await _closed_with(socket, timeout=2) == SESSION_ENDED
    assert (await console.get("/api/queue")).status == 401
    response = await console.post("/api/login", json={"username": "an", "password": PASSWORD})
    assert response.status == 401


async def test_a_new_password_from_the_command_line_closes_the_sockets(console):
    """Another process (the CLI) changes the store: the web server's round closes the socket."""
    await login(console, "bo")
    async with console.ws_connect("/api/stream", headers=_origin(console)) as socket:
        assert (await socket.receive_json(timeout=5))["type"] == "overview"
        accounts.add_counsellor(console.database_url, "bo", "een ander lang wachtwoord")
        assert await _closed_with(socket, timeout=3) == SESSION_ENDED
    assert (await console.get("/api/queue")).status == 401


async def test_pings_keep_the_counsellor_present_but_not_active(console):
    await login(console)
    _age_sessions(console.database_url, 29)
    async with console.ws_connect("/api/stream", headers=_origin(console)) as socket:
        assert (await socket.receive_json(timeout=5))["type"] == "overview"
        await socket.send_str("ping")
        await asyncio.sleep(0.5)
        with database.opened(console.database_url) as engine, engine.connect() as conn:
            seen, action = conn.exec_driver_sql(
                "SELECT last_seen, last_action FROM counsellor_sessions"
            ).one()
        now = accounts.utc_now()
        assert now - _at(seen) < dt.timedelta(minutes=1)  # present: counted online
        assert now - _at(action) > dt.timedelta(minutes=28)  # the ping did nothing
        _age_sessions(console.database_url, 31)
        await socket.send_str("ping")
        assert await _closed_with(socket, timeout=3) == SESSION_ENDED


def _at(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


class _Socket:
    """Stands in for a WebSocketResponse: records how it was closed."""

    def __init__(self) -> None:
        self.closed_with: int | None = None

    async def close(self, code: int, message: bytes) -> None:
        self.closed_with = code


def _session(token_hash: str) -> accounts.LiveSession:
    return accounts.LiveSession(token_hash, 1, "an", "counsellor", "csrf")


async def test_a_socket_that_opens_while_sessions_are_checked_stays_open():
    old, new = _Socket(), _Socket()

    async def check(hashes: list[str]) -> dict[str, accounts.LiveSession]:
        hub.add(new, _session("nieuw"))  # its handshake completes during the query
        return {}  # the old session has ended

    hub = Hub(check)
    hub.add(old, _session("oud"))
    await hub.refresh()
    assert (old.closed_with, new.closed_with) == (SESSION_ENDED, None)
    assert new in hub.viewers
