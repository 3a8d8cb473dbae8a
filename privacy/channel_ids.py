"""Conversation ids a client cannot choose, and channel user ids never stored in the clear.

Telegram: a keyed hash of the chat id names the conversation (``tg-`` and 40 hex digits),
and the chat id kept to reply is sealed with AES-GCM while it is kept. The widget: the
server issues the id (``w-`` and 43 base64url characters: 16 random bytes and the first 16
bytes of their HMAC-SHA256), and takes back only ids whose MAC verifies.

Every key comes from one setting, ID_HASH_KEY, each derived with HMAC-SHA256 under a label
of its own, so that no key reveals another. The setting is the deployment's alone:
Telegram's secret token, which Telegram sends in every webhook request, is never one of
them. Without ID_HASH_KEY (the default laptop set-up, no Telegram) the widget's key is
derived from a per-install secret kept in the var directory (``WIDGET_KEY_FILE``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MIN_KEY_CHARS = 32
MAKE_A_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
_NONCE_BYTES = 12

# Each channel's conversation ids begin with its own prefix; no other channel takes such an id.
TELEGRAM_PREFIX = "tg-"
WIDGET_PREFIX = "w-"
WIDGET_ID = re.compile(r"^w-[A-Za-z0-9_-]{43}$")
WIDGET_KEY_FILE = "widget-id.key"  # in the var directory, when ID_HASH_KEY is not set
_RANDOM_BYTES = 16
_TAG_BYTES = 16


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


def reserved_by(conversation_id: str) -> str | None:
    """The channel whose ids have this shape (``widget``, ``telegram``), or None: an id
    a client of the REST channel may choose."""
    if conversation_id.startswith(WIDGET_PREFIX):
        return "widget"
    if conversation_id.startswith(TELEGRAM_PREFIX):
        return "telegram"
    return None


class WidgetIds:
    """Issues the widget's conversation ids and checks the ones a browser brings back."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_settings(cls, id_hash_key: str | None, var_dir: Path) -> WidgetIds:
        """Keyed by ID_HASH_KEY when it is set, else by the per-install secret in
        ``var_dir`` (made on first use, readable by its owner only)."""
        secret = id_hash_key or _install_secret(var_dir / WIDGET_KEY_FILE)
        return cls(_derived(secret, b"widget-id"))

    def _tag(self, random_part: bytes) -> bytes:
        return hmac.new(self._key, b"widget:" + random_part, hashlib.sha256).digest()[:_TAG_BYTES]

    def issue(self) -> str:
        """A new conversation id: random, with its MAC."""
        random_part = os.urandom(_RANDOM_BYTES)
        token = base64.urlsafe_b64encode(random_part + self._tag(random_part))
        return WIDGET_PREFIX + token.decode("ascii").rstrip("=")

    def verify(self, conversation_id: str) -> bool:
        """Whether this server issued ``conversation_id`` (its MAC verifies)."""
        if not WIDGET_ID.match(conversation_id):
            return False
        token = conversation_id[len(WIDGET_PREFIX) :] + "="
        try:
            raw = base64.urlsafe_b64decode(token)
        except (ValueError, binascii.Error):
            return False
        if base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != token.rstrip("="):
            return False  # a last character with other unused bits: the same bytes, not the id
        random_part, tag = raw[:_RANDOM_BYTES], raw[_RANDOM_BYTES:]
        return hmac.compare_digest(tag, self._tag(random_part))


def _install_secret(path: Path) -> str:
    """The secret in ``path``; made once, atomically, when there is none yet (several Rasa
    workers may start at the same moment: the first one's file wins)."""
    with contextlib.suppress(FileNotFoundError):
        secret = path.read_text(encoding="ascii").strip()
        if secret:
            return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(32) + "\n")
    try:
        os.link(draft, path)  # fails when another process was first
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    secret = path.read_text(encoding="ascii").strip()
    if not secret:
        raise RuntimeError(f"{path} is empty: delete it and start again, or set ID_HASH_KEY")
    return secret
