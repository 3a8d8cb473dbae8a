"""Channel user ids are never stored in the clear: a keyed hash names the conversation, and
the chat id kept to reply is sealed with AES-GCM while it is kept.

Both keys come from one setting, ID_HASH_KEY, each derived with HMAC-SHA256 under a label
of its own, so that the hash never reveals the sealing key and the other way round. The
setting is the deployment's alone: Telegram's secret token, which Telegram sends in every
webhook request, is never one of them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MIN_KEY_CHARS = 32
MAKE_A_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
_NONCE_BYTES = 12


def _derived(setting: str, label: bytes) -> bytes:
    return hmac.new(setting.encode(), b"wegwijzer:" + label, hashlib.sha256).digest()


@dataclass(frozen=True)
class ChannelIdKeys:
    """The hash key and the sealing key (AES-256-GCM) of ID_HASH_KEY."""

    hash_key: bytes = field(repr=False)
    seal_key: bytes = field(repr=False)

    @classmethod
    def from_setting(cls, id_hash_key: str) -> ChannelIdKeys:
        return cls(_derived(id_hash_key, b"id-hash"), _derived(id_hash_key, b"id-seal"))

    def pseudonym(self, channel: str, user_id: int | str) -> str:
        """A stable keyed hash of a channel's user id (hex, 40 characters)."""
        digest = hmac.new(self.hash_key, f"{channel}:{user_id}".encode(), hashlib.sha256)
        return digest.hexdigest()[:40]

    def seal(self, value: str, context: str) -> str:
        """``value`` encrypted for storage, bound to ``context`` (the key it is stored
        under): a random nonce, then the ciphertext with its tag, in base64."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.seal_key).encrypt(nonce, value.encode(), context.encode())
        return base64.b64encode(nonce + sealed).decode("ascii")

    def unseal(self, token: str, context: str) -> str | None:
        """The sealed value; None when it was sealed with another key or for another
        context, or has been altered."""
        try:
            raw = base64.b64decode(token, validate=True)
            opened = AESGCM(self.seal_key).decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode()
            )
        except (InvalidTag, ValueError, binascii.Error):
            return None
        return opened.decode()


def key_problem(id_hash_key: str | None, telegram_secret: str | None = None) -> str | None:
    """Why ``id_hash_key`` cannot key the channel ids (with how to make one), or None."""
    if not id_hash_key:
        return f"required with Telegram; make one with: {MAKE_A_KEY}"
    if id_hash_key == telegram_secret:
        return (
            "not TELEGRAM_SECRET_TOKEN, which Telegram sends with every update; "
            f"make one with: {MAKE_A_KEY}"
        )
    if len(id_hash_key) < MIN_KEY_CHARS:
        return f"at least {MIN_KEY_CHARS} characters; make one with: {MAKE_A_KEY}"
    return None
