"""The web server: counsellor console, its JSON API and the widget's demo page (aiohttp)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
from aiohttp import web

import database
from channels.console import views
from channels.console.config import ConsoleConfig
from channels.console.rasa_api import RasaClient
from channels.console.routes import setup_routes
from channels.console.security import (
    COOKIE,
    CSRF_HEADER,
    SAFE_METHODS,
    LoginLimiter,
    content_security_policy,
)
from channels.console.state import (
    CONFIG,
    HUB,
    KNOWLEDGE,
    LIMITER,
    RASA,
    SESSIONS,
    in_transaction,
)
from channels.console.stream import Hub, watch
from handoff import accounts
from handoff.models import Counsellor
from privacy.retention import purge

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
OPEN_API = frozenset({"/api/login"})


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@web.middleware
async def require_counsellor(request: web.Request, handler: Handler) -> web.StreamResponse:
    """401 without a live session, 403 on a state change without the CSRF token."""
    if not request.path.startswith("/api/") or request.path in OPEN_API:
        return await handler(request)
    token = request.cookies.get(COOKIE)

    def lookup(session):
        live = accounts.active_session(session, token)
        if live is None:
            return None
        return (
            live.counsellor_id,
            live.csrf_token,
            session.get(Counsellor, live.counsellor_id).username,
        )

    found = await in_transaction(request.app, lookup)
    if found is None:
        return web.json_response(views.UNAUTHORISED, status=401)
    request["counsellor_id"], request["csrf_token"], request["counsellor_name"] = found
    if request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER, "")
        if not given or given != request["csrf_token"]:
            return web.json_response({"error": "CSRF-token ontbreekt of klopt niet."}, status=403)
    return await handler(request)


async def _resources(app: web.Application) -> AsyncIterator[None]:
    config = app[CONFIG]
    app[SESSIONS] = database.sessions(config.database_url)
    if config.knowledge_url:
        app[KNOWLEDGE] = database.sessions(config.knowledge_url)
    http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
    app[RASA] = RasaClient(http, config.rasa_url, config.rasa_token)
    watcher = asyncio.create_task(
        watch(app, app[HUB], app[RASA], config.poll_seconds, config.soft_limit_minutes,
              views.overview, views.messages_of)
    )  # fmt: skip
    tasks = [watcher]
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
                purge, config.tracker_url, config.database_url, config.retention_days
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
        middlewares=[security_headers, require_counsellor], client_max_size=64 * 1024
    )
    app[CONFIG] = config
    app[HUB] = Hub()
    app[LIMITER] = LoginLimiter(config.login_attempts, config.login_window_seconds)
    app.cleanup_ctx.append(_resources)
    app.on_shutdown.append(_close_sockets)
    setup_routes(app, config.static_dir)
    return app
