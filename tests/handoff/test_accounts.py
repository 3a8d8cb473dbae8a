import datetime as dt

import pytest

from handoff import accounts
from handoff.models import Counsellor


def test_password_is_stored_as_argon2id_and_checked(sessions):
    with sessions.begin() as session:
        accounts.set_counsellor(session, "an", "correct paard batterij")
    with sessions.begin() as session:
        row = session.query(Counsellor).one()
        assert row.password_hash.startswith("$argon2id$")
        assert "correct" not in row.password_hash
        assert accounts.authenticate(session, "an", "correct paard batterij") is not None
        assert accounts.authenticate(session, "an", "fout wachtwoord!!") is None
        assert accounts.authenticate(session, "niemand", "correct paard batterij") is None


def test_short_passwords_are_refused(sessions):
    with sessions.begin() as session, pytest.raises(ValueError):
        accounts.set_counsellor(session, "an", "kort")


def _logged_in(sessions, username: str = "an") -> tuple[str, str]:
    """A new account with one open session: (cookie token, CSRF token)."""
    with sessions.begin() as session:
        counsellor = accounts.set_counsellor(session, username, "correct paard batterij")
        return accounts.open_session(session, counsellor)


def test_sessions_expire_after_30_idle_minutes_and_count_as_online(sessions):
    token, csrf = _logged_in(sessions)
    now = accounts.utc_now()
    with sessions.begin() as session:
        assert accounts.active_session(session, token, now).csrf_token == csrf
        assert accounts.counsellors_online(session, now) == 1
    later = now + dt.timedelta(minutes=31)
    with sessions.begin() as session:
        assert accounts.counsellors_online(session, later) == 0
        assert accounts.active_session(session, token, later) is None
    with sessions.begin() as session:
        assert accounts.active_session(session, token, now) is None  # gone for good


def test_an_action_restarts_the_idle_time_and_a_ping_does_not(sessions):
    acting, pinging = _logged_in(sessions, "an")[0], _logged_in(sessions, "bo")[0]
    start = accounts.utc_now()
    with sessions.begin() as session:
        assert accounts.active_session(session, acting, start + dt.timedelta(minutes=20))
        ping = start + dt.timedelta(minutes=20)
        assert accounts.active_session(session, pinging, ping, action=False)
    later = start + dt.timedelta(minutes=31)
    with sessions.begin() as session:
        assert accounts.active_session(session, acting, later) is not None
        assert accounts.active_session(session, pinging, later, action=False) is None
        assert accounts.counsellors_online(session, later) == 1


def test_disabling_or_a_new_password_ends_every_session(sessions):
    first, _ = _logged_in(sessions, "an")
    second, _ = _logged_in(sessions, "bo")
    with sessions.begin() as session:
        accounts.set_disabled(session, None, "an", True)
        accounts.reset_password(session, None, "bo", "een nieuw lang wachtwoord")
    with sessions.begin() as session:
        assert accounts.active_session(session, first) is None
        assert accounts.active_session(session, second) is None
        assert accounts.authenticate(session, "an", "correct paard batterij") is None
        assert accounts.authenticate(session, "bo", "een nieuw lang wachtwoord") is not None
