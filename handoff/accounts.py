"""Counsellor accounts (Argon2id), console sessions with idle expiry, and who is online."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

import database
from handoff.models import Counsellor, CounsellorSession
from handoff.queue import utc_now

SESSION_IDLE = dt.timedelta(minutes=30)
ONLINE_WINDOW = dt.timedelta(minutes=2)
_hasher = PasswordHasher()  # Argon2id with argon2-cffi's recommended parameters
# Verified when the username does not exist, so that both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def set_counsellor(session: Session, username: str, password: str) -> Counsellor:
    """Create the account, or set a new password on an existing one."""
    if not username.strip() or len(password) < 12:
        raise ValueError("a username and a password of at least 12 characters are needed")
    row = session.scalars(select(Counsellor).where(Counsellor.username == username)).one_or_none()
    if row is None:
        row = Counsellor(username=username, password_hash="", created_at=utc_now())
        session.add(row)
    row.password_hash = _hasher.hash(password)
    session.flush()
    return row


def add_counsellor(url: str, username: str, password: str) -> None:
    """Create the account in the handoff store at ``url``, or give it this password.

    An operator may make the first account before the servers ever started, so this
    command runs the migration step first, as the launcher does.
    """
    from handoff.schema import migrate  # Alembic is loaded by this command only

    migrate(url)
    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        set_counsellor(session, username, password)


def authenticate(session: Session, username: str, password: str) -> Counsellor | None:
    """The counsellor when the password is right; the same work whether or not they exist."""
    row = session.scalars(select(Counsellor).where(Counsellor.username == username)).one_or_none()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return row


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, counsellor: Counsellor) -> tuple[str, str]:
    """A new console session: (cookie token, CSRF token). Only the token's hash is stored."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        CounsellorSession(
            token_hash=_token_hash(token), counsellor_id=counsellor.id, csrf_token=csrf,
            last_seen=utc_now(),
        )
    )  # fmt: skip
    return token, csrf


def active_session(
    session: Session, token: str | None, now: dt.datetime | None = None
) -> CounsellorSession | None:
    """The live session for a cookie token, touched; None when unknown or idle too long."""
    if not token:
        return None
    now = now or utc_now()
    row = session.get(CounsellorSession, _token_hash(token))
    if row is None:
        return None
    if now - row.last_seen > SESSION_IDLE:
        session.delete(row)
        return None
    row.last_seen = now
    return row


def close_session(session: Session, token: str) -> None:
    session.execute(
        delete(CounsellorSession).where(CounsellorSession.token_hash == _token_hash(token))
    )


def counsellors_online(session: Session, now: dt.datetime | None = None) -> int:
    """Counsellors with a console session active in the last two minutes."""
    since = (now or utc_now()) - ONLINE_WINDOW
    return session.scalar(
        select(func.count(func.distinct(CounsellorSession.counsellor_id))).where(
            CounsellorSession.last_seen >= since
        )
    )
