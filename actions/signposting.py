"""Signposting: the services from the knowledge store that fit this person and need."""

from __future__ import annotations

import logging

from rasa_sdk.executor import CollectingDispatcher

from actions.api import knowledge_store
from actions.api.knowledge_store import KnowledgeUnavailable

logger = logging.getLogger(__name__)


async def signpost(
    dispatcher: CollectingDispatcher,
    user_group: str | None,
    need: str,
    language: str | None = None,
    limit: int = 3,
) -> list[str]:
    """Show one to three service cards for ``need``, in ``language`` where the store has
    it (else Dutch); return the keys of the services shown.

    When the store cannot be read, say so and offer a human; the conversation goes on.
    """
    try:
        cards = await knowledge_store.services(user_group, need, limit=limit, language=language)
    except KnowledgeUnavailable as error:
        logger.warning("knowledge.unavailable", extra={"error": str(error)})
        dispatcher.utter_message(response="utter_knowledge_unavailable")
        return []
    if not cards:
        return []
    dispatcher.utter_message(response="utter_signposting_intro")
    for card in cards:
        dispatcher.utter_message(
            response="utter_service_card",
            name=card.name,
            what=card.what,
            details=card.details,
            source=card.citation.cite_as,
            as_of=card.citation.as_of,
        )
        for text, citation in card.facts:
            dispatcher.utter_message(
                response="utter_dated_fact",
                text=text,
                source=citation.cite_as,
                as_of=citation.as_of,
            )
    return [card.key for card in cards]


async def state_fact(
    dispatcher: CollectingDispatcher, key: str, language: str | None = None
) -> bool:
    """Say one dated fact from the store with its source, in ``language`` where the store
    has it; False when it is not there."""
    try:
        found = await knowledge_store.dated_fact(key, language)
    except KnowledgeUnavailable as error:
        logger.warning("knowledge.unavailable", extra={"error": str(error)})
        return False
    if found is None:
        return False
    text, citation = found
    dispatcher.utter_message(
        response="utter_dated_fact", text=text, source=citation.cite_as, as_of=citation.as_of
    )
    return True
