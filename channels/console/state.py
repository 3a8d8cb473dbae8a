"""Typed application state of the web server (aiohttp ``web.AppKey``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy.orm import sessionmaker

import database
from channels.console.config import ConsoleConfig
from channels.console.hub import Hub
from channels.console.rasa_api import RasaClient
from channels.console.security import LoginLimiter

T = TypeVar("T")

CONFIG = web.AppKey("config", ConsoleConfig)
SESSIONS = web.AppKey("sessions", sessionmaker)
KNOWLEDGE = web.AppKey("knowledge", sessionmaker)  # the knowledge store, read only
STATISTICS = web.AppKey("statistics", sessionmaker)  # the statistics database, read only
RASA = web.AppKey("rasa", RasaClient)
HUB = web.AppKey("hub", Hub)
LIMITER = web.AppKey("limiter", LoginLimiter)
SERVICE_NAMES = web.AppKey("service_names", dict)  # service key -> name (services.py)
PROXIES = web.AppKey("proxies", tuple)  # trusted proxies' networks (security.trusted_networks)


async def in_transaction(app: web.Application, work: Callable[..., T], *args: Any) -> T:
    """Run ``work(session, *args)`` in one short transaction, off the event loop."""
    return await database.in_transaction(app[SESSIONS], work, *args)
