"""Every message gets an answer, also when the action server or a database is down.

Rasa goes on without the events of a custom action that fails (it logs the error and
sends nothing). This wrapper around a channel's ``on_new_message`` notices that no reply
was sent while the bot was in charge, and says so in Dutch, with the crisis lines, since
the crisis response itself is a custom action.

When Rasa cannot handle the message at all (the tracker store or the lock store is
unreachable), nothing of it was stored: the person is told so and asked to send it again,
so that no message is taken in and then lost.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.stores import StoreUnavailable
from channels.texts import response_text

logger = logging.getLogger(__name__)


class CountingOutput(OutputChannel):
    """Passes everything on to ``inner`` and counts what was sent."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    @classmethod
    def name(cls) -> str:
        return "counting"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)


def always_answer(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    paused: Callable[[str], Awaitable[bool]] | None = None,
) -> Callable[[UserMessage], Awaitable[Any]]:
    """``on_new_message`` that sends ``utter_cannot_look_up`` when Rasa sent nothing back,
    ``utter_not_received`` when Rasa failed on the message.

    ``paused(sender)`` tells whether a counsellor has the conversation: then silence is
    right, not a fault.
    """

    async def guarded(message: UserMessage) -> Any:
        counting = CountingOutput(message.output_channel)
        message.output_channel = counting
        try:
            result = await on_new_message(message)
        except (Exception, StoreUnavailable) as error:  # a store is down: nothing was kept
            logger.warning("message.not_processed", extra={"error": type(error).__name__})
            await counting.inner.send_text_message(
                message.sender_id, response_text("utter_not_received")
            )
            return None
        if counting.sent == 0 and not (paused and await paused(message.sender_id)):
            await counting.inner.send_text_message(
                message.sender_id, response_text("utter_cannot_look_up")
            )
        return result

    return guarded
