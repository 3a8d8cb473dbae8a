"""The knowledge store's services as the console needs them: cards to send, names to show."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from channels.console.state import KNOWLEDGE, SERVICE_NAMES
from channels.console.texts import ERRORS
from knowledge.repository import ServiceCard, all_services


async def service_cards(app: web.Application, user_group: str | None) -> list[ServiceCard]:
    """Every service, those for ``user_group`` first; 503 without a reachable store."""
    if KNOWLEDGE not in app:
        raise web.HTTPServiceUnavailable(text=ERRORS.knowledge_unavailable)

    def read() -> list[ServiceCard]:
        with app[KNOWLEDGE]() as session:
            return all_services(session, user_group)

    try:
        return await asyncio.to_thread(read)
    except SQLAlchemyError as error:
        raise web.HTTPServiceUnavailable(text=ERRORS.knowledge_unavailable) from error


async def service_names(app: web.Application) -> dict[str, str]:
    """Service key -> the name a counsellor reads ("clb_chat" -> "CLB Ch@t"), read once;
    empty (keys shown as they are) while the knowledge store cannot be read."""
    names = app[SERVICE_NAMES]
    if not names:
        with contextlib.suppress(web.HTTPServiceUnavailable):
            names.update({card.key: card.name for card in await service_cards(app, None)})
    return names
