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


def test_sessions_expire_after_30_idle_minutes_and_count_as_online(sessions):
    with sessions.begin() as session:
        counsellor = accounts.set_counsellor(session, "an", "correct paard batterij")
        token, csrf = accounts.open_session(session, counsellor)
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
