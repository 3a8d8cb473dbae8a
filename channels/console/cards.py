"""Signposting cards: services from the knowledge store that a counsellor sends as a message."""

from __future__ import annotations

from aiohttp import web

from channels.console.conversations import held_conversation
from channels.console.rasa_api import RasaUnavailable
from channels.console.services import service_cards
from channels.console.state import RASA
from channels.console.texts import ERRORS, TEXTS
from knowledge.repository import ServiceCard


def card_text(card: ServiceCard) -> str:
    """The message a person gets: the store's record with its source and date."""
    return TEXTS.card.format(
        name=card.name,
        what=card.what,
        details=card.details,
        source=card.citation.cite_as,
        as_of=card.citation.as_of,
    )


async def services(request: web.Request) -> web.Response:
    """The services a counsellor can send as a card, those for ``group`` first."""
    cards = await service_cards(request.app, request.query.get("group"))
    return web.json_response(
        [{"key": c.key, "name": c.name, "for_group": c.for_group} for c in cards]
    )


async def send_card(request: web.Request) -> web.Response:
    held = await held_conversation(request)
    try:
        key = str((await request.json())["service"])
    except (ValueError, KeyError, TypeError):
        key = ""
    cards = await service_cards(request.app, None)
    card = next((c for c in cards if c.key == key), None)
    if card is None:
        raise web.HTTPBadRequest(text=ERRORS.no_such_service)
    try:
        await request.app[RASA].deliver_counsellor_message(held.conversation_id, card_text(card))
    except RasaUnavailable as error:
        raise web.HTTPBadGateway(text=ERRORS.card_not_delivered) from error
    return web.json_response({"delivered": True})
