"""Console accounts (Argon2id) with roles, console sessions with idle expiry, who is online.

Roles, each with the rights of the ones before it (``handoff.models.ROLES``): a counsellor
handles the conversations it claims, a supervisor also reads any active conversation, an
admin also manages accounts. Disabling an account or giving it a new password ends its
sessions at once; the web server closes their sockets (it re-checks every socket's session
every second).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import ClassVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

import database
from handoff.models import COUNSELLOR, ROLES, Counsellor, CounsellorSession
from handoff.queue import audit_account, utc_now

SESSION_IDLE = dt.timedelta(minutes=30)
ONLINE_WINDOW = dt.timedelta(minutes=2)
MIN_PASSWORD = 12
_hasher = PasswordHasher()  # Argon2id with argon2-cffi's recommended parameters
# Verified when the username does not exist, so that both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """An account change that cannot be made; ``reason`` names which rule refused it (the
    console shows its Dutch text, the launcher this English one)."""

    REASONS: ClassVar[dict[str, str]] = {
        "username_needed": "a username (at most 80 characters) is needed",
        "password_too_short": f"a password of at least {MIN_PASSWORD} characters is needed",
        "no_such_role": "the role must be one of " + ", ".join(ROLES),
        "username_taken": "that username exists already",
        "no_such_account": "there is no account of that name",
        "not_yourself": "an admin cannot disable their own account or change their own role",
    }

    def __init__(self, reason: str) -> None:
        super().__init__(self.REASONS[reason])
        self.reason = reason


@dataclass(frozen=True)
class Account:
    """What the console shows of an account."""

    id: int
    username: str
    role: str
    disabled: bool


def rank(role: str) -> int:
    """The role's place in ``ROLES``: a higher role has every right of a lower one."""
    return ROLES.index(role)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("password_too_short")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError("no_such_role")


def _find(session: Session, username: str) -> Counsellor | None:
    return session.scalars(select(Counsellor).where(Counsellor.username == username)).one_or_none()


def _account(row: Counsellor) -> Account:
    return Account(row.id, row.username, row.role, row.disabled)


def end_sessions(session: Session, counsellor_id: int) -> None:
    """Log the account out everywhere: its sessions are gone on the server."""
    session.execute(
        delete(CounsellorSession).where(CounsellorSession.counsellor_id == counsellor_id)
    )


def set_counsellor(
    session: Session, username: str, password: str, role: str | None = None
) -> Counsellor:
    """Create the account (a counsellor unless ``role`` says otherwise), or give an existing
    one this password (and ``role`` when given); a new password ends its sessions."""
    if not username.strip():
        raise AccountError("username_needed")
    _check_password(password)
    if role is not None:
        _check_role(role)
    row = _find(session, username)
    if row is None:
        row = Counsellor(
            username=username, password_hash="", created_at=utc_now(), role=role or COUNSELLOR,
            disabled=False,
        )  # fmt: skip
        session.add(row)
    else:
        end_sessions(session, row.id)
        if role is not None:
            row.role = role
    row.password_hash = _hasher.hash(password)
    session.flush()
    return row


def add_counsellor(url: str, username: str, password: str, role: str | None = None) -> None:
    """Create the account in the handoff store at ``url``, or give it this password.

    An operator may make the first account before the servers ever started, so this
    command runs the migration step first, as the launcher does.
    """
    from handoff.schema import migrate  # Alembic is loaded by this command only

    migrate(url)
    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        set_counsellor(session, username, password, role)


def accounts(session: Session) -> list[Account]:
    """Every account, by username."""
    return [_account(r) for r in session.scalars(select(Counsellor).order_by(Counsellor.username))]


def create_account(
    session: Session, actor_id: int | None, username: str, password: str, role: str
) -> Account:
    """A new account (an admin's action, audited); AccountError when the name is taken."""
    username = username.strip()
    if not username or len(username) > 80:
        raise AccountError("username_needed")
    _check_password(password)
    _check_role(role)
    if _find(session, username) is not None:
        raise AccountError("username_taken")
    row = set_counsellor(session, username, password, role)
    audit_account(session, "account_created", actor_id, row.id)
    return _account(row)


def _changeable(session: Session, actor_id: int | None, username: str) -> Counsellor:
    row = _find(session, username)
    if row is None:
        raise AccountError("no_such_account")
    if actor_id is not None and row.id == actor_id:
        raise AccountError("not_yourself")  # an admin never locks themself out
    return row


def set_role(session: Session, actor_id: int | None, username: str, role: str) -> Account:
    """Give the account another role (audited); its sessions pick it up at their next request."""
    _check_role(role)
    row = _changeable(session, actor_id, username)
    row.role = role
    audit_account(session, "role_" + role, actor_id, row.id)
    return _account(row)


def set_disabled(session: Session, actor_id: int | None, username: str, disabled: bool) -> Account:
    """Disable (ending its sessions) or enable the account (audited)."""
    row = _changeable(session, actor_id, username)
    row.disabled = disabled
    if disabled:
        end_sessions(session, row.id)
    audit_account(session, "account_disabled" if disabled else "account_enabled", actor_id, row.id)
    return _account(row)


def reset_password(session: Session, actor_id: int | None, username: str, password: str) -> Account:
    """Give the account a new password (audited): every session it had ends."""
    _check_password(password)
    row = _find(session, username)
    if row is None:
        raise AccountError("no_such_account")
    row.password_hash = _hasher.hash(password)
    end_sessions(session, row.id)
    audit_account(session, "password_reset", actor_id, row.id)
    return _account(row)


def authenticate(session: Session, username: str, password: str) -> Counsellor | None:
    """The account when the password is right and the account enabled; the same work
    whether or not it exists."""
    row = _find(session, username)
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return row if row is not None and not row.disabled else None


def token_hash(token: str) -> str:
    """What is stored of a session's cookie token."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, counsellor: Counsellor) -> tuple[str, str]:
    """A new console session: (cookie token, CSRF token). Only the token's hash is stored."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utc_now()
    session.add(
        CounsellorSession(
            token_hash=token_hash(token), counsellor_id=counsellor.id, csrf_token=csrf,
            last_seen=now, last_action=now,
        )
    )  # fmt: skip
    return token, csrf


@dataclass(frozen=True)
class LiveSession:
    """A live session and its account, as the web server needs them."""

    token_hash: str
    counsellor_id: int
    username: str
    role: str
    csrf_token: str


def _live(session: Session, row: CounsellorSession | None, now: dt.datetime) -> LiveSession | None:
    if row is None:
        return None
    account = session.get(Counsellor, row.counsellor_id)
    if account is None or account.disabled or now - row.last_action > SESSION_IDLE:
        session.delete(row)
        return None
    return LiveSession(row.token_hash, account.id, account.username, account.role, row.csrf_token)


def active_session(
    session: Session, token: str | None, now: dt.datetime | None = None, *, action: bool = True
) -> LiveSession | None:
    """The live session for a cookie token; None when unknown, idle too long or of a
    disabled account. Marks the counsellor present, and with ``action`` (something the
    counsellor did, not a socket ping) restarts the idle time."""
    if not token:
        return None
    now = now or utc_now()
    row = session.get(CounsellorSession, token_hash(token))
    live = _live(session, row, now)
    if live is not None:
        row.last_seen = now
        if action:
            row.last_action = now
    return live


def live_sessions(
    session: Session, hashes: list[str], now: dt.datetime | None = None
) -> dict[str, LiveSession]:
    """Which of these sessions (by token hash) are live now; touches none of them."""
    now = now or utc_now()
    rows = session.scalars(
        select(CounsellorSession).where(CounsellorSession.token_hash.in_(hashes))
    ).all()
    found = {row.token_hash: _live(session, row, now) for row in rows}
    return {key: live for key, live in found.items() if live is not None}


def close_session(session: Session, token: str) -> None:
    session.execute(
        delete(CounsellorSession).where(CounsellorSession.token_hash == token_hash(token))
    )


def counsellors_online(session: Session, now: dt.datetime | None = None) -> int:
    """Counsellors with a console session present in the last two minutes."""
    since = (now or utc_now()) - ONLINE_WINDOW
    return session.scalar(
        select(func.count(func.distinct(CounsellorSession.counsellor_id))).where(
            CounsellorSession.last_seen >= since
        )
    )
