"""The account commands of ``python -m channels.console`` on a real handoff store."""

from __future__ import annotations

import database
from channels.console.__main__ import main
from channels.console.texts import TEXTS
from handoff import accounts
from handoff.models import Counsellor, CounsellorSession

PASSWORD = "een heel geheim wachtwoord"


def test_every_refusal_has_its_dutch_text():
    assert set(TEXTS.account_errors) == set(accounts.AccountError.REASONS)


def test_admin_commands_create_set_roles_disable_and_reset(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("COUNSELLOR_PASSWORD", PASSWORD)
    url = f"sqlite:///{tmp_path / 'store-handoff.db'}"
    assert main(["add-counsellor", "ada", "--role", "admin", "--from-env"]) == 0
    assert main(["add-counsellor", "an", "--from-env"]) == 0
    assert main(["set-role", "an", "supervisor"]) == 0
    assert "rol is nu supervisor" in capsys.readouterr().out
    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        an = session.query(Counsellor).filter_by(username="an").one()
        accounts.open_session(session, an)
    assert main(["disable", "an"]) == 0
    with database.opened(url) as engine, database.session_factory(engine)() as session:
        assert session.query(CounsellorSession).count() == 0  # logged out everywhere
        assert accounts.authenticate(session, "an", PASSWORD) is None
    assert main(["enable", "an"]) == 0
    monkeypatch.setenv("COUNSELLOR_PASSWORD", "een nieuw lang wachtwoord")
    assert main(["reset-password", "an", "--from-env"]) == 0
    assert main(["set-role", "niemand", "admin"]) == 2
    assert "Dat account bestaat niet." in capsys.readouterr().err
    assert main(["accounts"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in listed] == [["ada", "beheerder"], ["an", "supervisor"]]
    with database.opened(url) as engine, database.session_factory(engine)() as session:
        assert accounts.authenticate(session, "an", "een nieuw lang wachtwoord") is not None
