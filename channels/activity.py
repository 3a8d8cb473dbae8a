"""Tell the handoff store that a conversation is going on (the console's live view)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from database import handoff_sessions
from handoff.queue import is_with_counsellor, record_activity

logger = logging.getLogger(__name__)


def record_conversation(conversation_id: str, channel: str) -> None:
    """Mark the conversation active; a store failure never stops the chat."""
    try:
        with handoff_sessions().begin() as session:
            record_activity(session, conversation_id, channel)
    except SQLAlchemyError as error:
        logger.warning("handoff.store_unavailable", extra={"error": type(error).__name__})


def _with_counsellor(conversation_id: str) -> bool:
    try:
        with handoff_sessions()() as session:
            return is_with_counsellor(session, conversation_id)
    except SQLAlchemyError:
        return False


async def with_counsellor(conversation_id: str) -> bool:
    """Whether a counsellor has the conversation (the bot stays silent then)."""
    return await asyncio.to_thread(_with_counsellor, conversation_id)
