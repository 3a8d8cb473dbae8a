"""What the Telegram connector keeps between updates, in memory or (scaled) in Redis.

The chat id behind a conversation id and the payloads of its inline buttons, only while the
conversation is open; the update ids seen, so that a redelivered update is handled once.
In Redis the chat id is sealed (AES-GCM, ``privacy.channel_ids``): what Redis holds, or a
copy of its file, names nobody.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from typing import Any

from channels.redis_client import connect_redis
from privacy.channel_ids import ChannelIdKeys
from privacy.shared_state import telegram_buttons_key, telegram_chat_key

CHAT_TTL_SECONDS = 2 * 3600  # an idle conversation's chat id is forgotten after this


class ChatDirectory:
    """Conversation id -> chat id and button payloads, in memory, only while in use."""

    def __init__(self, ttl_seconds: float = CHAT_TTL_SECONDS) -> None:
        self.ttl = ttl_seconds
        self._chats: dict[str, tuple[int, float]] = {}
        self._buttons: dict[str, dict[str, str]] = {}

    def _expire(self, now: float) -> None:
        for sender in [s for s, (_, seen) in self._chats.items() if now - seen > self.ttl]:
            self._chats.pop(sender, None)
            self._buttons.pop(sender, None)

    async def remember(self, sender: str, chat_id: int) -> None:
        now = time.monotonic()
        self._expire(now)
        self._chats[sender] = (chat_id, now)

    async def chat_for(self, sender: str) -> int | None:
        self._expire(time.monotonic())
        entry = self._chats.get(sender)
        return entry[0] if entry else None

    async def forget(self, sender: str) -> None:
        self._chats.pop(sender, None)
        self._buttons.pop(sender, None)

    async def button_token(self, sender: str, payload: str) -> str:
        """A short callback_data for a payload (Telegram allows 64 bytes)."""
        token = secrets.token_urlsafe(12)
        buttons = self._buttons.setdefault(sender, {})
        if len(buttons) > 200:
            buttons.clear()
        buttons[token] = payload
        return token

    async def payload_for(self, sender: str, token: str) -> str | None:
        return self._buttons.get(sender, {}).get(token)


class RecentUpdates:
    """The last update ids seen, so that a redelivered update is handled once."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._seen: OrderedDict[int, None] = OrderedDict()

    async def first_time(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True


class RedisChatDirectory:
    """ChatDirectory in Redis (the scaled set-up): every worker can reply to the chat.

    Chat ids (sealed with ``keys``) and button payloads expire with the conversation's
    idle time.
    """

    def __init__(
        self, redis_url: str, keys: ChannelIdKeys, ttl_seconds: int = CHAT_TTL_SECONDS
    ) -> None:
        self.redis_url = redis_url
        self.keys = keys
        self.ttl = ttl_seconds
        self._client: Any = None

    def _redis(self) -> Any:
        if self._client is None:
            self._client = connect_redis(self.redis_url, decode_responses=True)
        return self._client

    async def remember(self, sender: str, chat_id: int) -> None:
        key = telegram_chat_key(sender)
        await self._redis().set(key, self.keys.seal(str(chat_id), key), ex=self.ttl)

    async def chat_for(self, sender: str) -> int | None:
        key = telegram_chat_key(sender)
        value = await self._redis().get(key)
        opened = self.keys.unseal(value, key) if value else None
        return int(opened) if opened else None

    async def forget(self, sender: str) -> None:
        await self._redis().delete(telegram_chat_key(sender), telegram_buttons_key(sender))

    async def button_token(self, sender: str, payload: str) -> str:
        token = secrets.token_urlsafe(12)
        key = telegram_buttons_key(sender)
        await self._redis().hset(key, token, payload)
        await self._redis().expire(key, self.ttl)
        return token

    async def payload_for(self, sender: str, token: str) -> str | None:
        return await self._redis().hget(telegram_buttons_key(sender), token)


class RedisRecentUpdates:
    """Update ids seen by any worker, for a day (Telegram redelivers within hours)."""

    def __init__(self, redis_url: str) -> None:
        self._client = connect_redis(redis_url)

    async def first_time(self, update_id: int) -> bool:
        return bool(
            await self._client.set(f"wegwijzer:tg:update:{update_id}", 1, nx=True, ex=86_400)
        )
