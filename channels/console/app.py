"""The web server: counsellor console, its JSON API and the widget's demo page (aiohttp)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

import database
from channels.console.auth import require_counsellor
from channels.console.config import ConsoleConfig
from channels.console.errors import json_errors
from channels.console.hub import Hub
from channels.console.pages import setup_templates
from channels.console.rasa_api import RasaClient
from channels.console.routes import setup_routes
from channels.console.security import (
    LoginLimiter,
    lengths_only,
    security_headers,
    trusted_networks,
)
from channels.console.state import (
    CONFIG,
    HUB,
    KNOWLEDGE,
    LIMITER,
    PROXIES,
    RASA,
    SERVICE_NAMES,
    SESSIONS,
    STATISTICS,
    in_transaction,
)
from channels.console.stream import watch
from handoff.accounts import LiveSession, live_sessions
from privacy.retention import purge

logger = logging.getLogger(__name__)


async def _resources(app: web.Application) -> AsyncIterator[None]:
    config = app[CONFIG]
    app[SESSIONS] = database.sessions(config.database_url)
    if config.knowledge_url:
        app[KNOWLEDGE] = database.sessions(config.knowledge_url)
    if config.statistics_url:
        app[STATISTICS] = database.sessions(config.statistics_url)
    http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
    app[RASA] = RasaClient(http, config.rasa_url, config.rasa_token)
    tasks = [asyncio.create_task(watch(app))]
    if config.tracker_url:
        tasks.append(asyncio.create_task(_purge_daily(config)))
    yield
    for task in tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await http.close()
    database.dispose_engines()


async def _purge_daily(config: ConsoleConfig) -> None:
    """Delete conversations past the retention period: at start, then once a day."""
    while True:
        try:
            report = await asyncio.to_thread(
                purge,
                config.tracker_url,
                config.database_url,
                config.retention_days,
                redis_url=config.redis_url,
            )
            logger.info("retention.purged", extra={"conversations": report.conversations})
            wait = 24 * 3600
        except Exception as error:  # a store not ready yet: try again soon; counts only
            logger.warning("retention.failed", extra={"error": type(error).__name__})
            wait = 60
        await asyncio.sleep(wait)


async def _close_sockets(app: web.Application) -> None:
    await app[HUB].close_all()


async def init_app(config: ConsoleConfig) -> web.Application:
    """The application, ready for ``web.run_app`` or ``aiohttp_client``."""
    app = web.Application(
        # Outermost first: headers on every answer, then errors as JSON, no chunked bodies,
        # then the guard.
        middlewares=[security_headers, json_errors, lengths_only, require_counsellor],
        client_max_size=64 * 1024,
        # Request bodies are never inflated: aiohttp 3.9.5 inflates a gzip or deflate body
        # as it arrives, before client_max_size or any middleware can refuse it (a zip bomb,
        # CVE-2025-69223 and CVE-2026-54278; docs/security.md). No browser compresses a
        # request; a compressed body reaches the handlers as it was sent and is refused.
        handler_args={"auto_decompress": False},
    )
    setup_templates(app)
    app[CONFIG] = config

    async def check(token_hashes: list[str]) -> dict[str, LiveSession]:
        return await in_transaction(app, live_sessions, token_hashes)

    app[HUB] = Hub(check)
    app[LIMITER] = LoginLimiter(config.login_attempts, config.login_window_seconds)
    app[PROXIES] = trusted_networks(config.trusted_proxies)
    app[SERVICE_NAMES] = {}
    app.cleanup_ctx.append(_resources)
    app.on_shutdown.append(_close_sockets)
    setup_routes(app, config.static_dir)
    return app
