"""What the scaled set-up keeps about a conversation in Redis, by key, and its removal.

Per conversation: the Telegram chat id (sealed, see ``privacy.channel_ids``) and the
payloads of its inline buttons, both expiring after the conversation's idle time. Retention
and erasure remove them at once. Update ids seen (a day) name no conversation; Rasa's lock
store deletes a conversation's lock when its message is handled.
"""

from __future__ import annotations

from collections.abc import Iterable


def telegram_chat_key(conversation_id: str) -> str:
    return f"wegwijzer:tg:chat:{conversation_id}"


def telegram_buttons_key(conversation_id: str) -> str:
    return f"wegwijzer:tg:buttons:{conversation_id}"


def conversation_keys(conversation_id: str) -> tuple[str, ...]:
    """Every Redis key the project writes about one conversation."""
    return telegram_chat_key(conversation_id), telegram_buttons_key(conversation_id)


def forget_conversations(redis_url: str, conversation_ids: Iterable[str]) -> int:
    """Delete the Redis keys of these conversations; how many keys existed."""
    import redis

    keys = [key for each in conversation_ids for key in conversation_keys(each)]
    if not keys:
        return 0
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=5)
    try:
        return sum(client.delete(*keys[i : i + 500]) for i in range(0, len(keys), 500))
    finally:
        client.close()
