"""Console commands: accounts (create, roles, disable, new password, list) and ``serve``.

python -m channels.console add-counsellor NAME [--role R]  (asks for the password)
python -m channels.console set-role NAME ROLE               (counsellor, supervisor, admin)
python -m channels.console disable NAME | enable NAME
python -m channels.console reset-password NAME              (asks for the new password)
python -m channels.console accounts                         (every account, its role, state)
python -m channels.console serve                            (the web server on WEB_PORT)

Disabling an account or giving it a new password ends its sessions; a running web server
closes their sockets within a second. Changes made here are audited without an actor.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from aiohttp import web
from sqlalchemy.orm import Session

import database
from channels.console.app import init_app
from channels.console.config import ConsoleConfig
from channels.console.texts import TEXTS
from handoff import accounts
from handoff.models import ROLES
from handoff.schema import migrate
from settings import load_settings


def _password(args: argparse.Namespace) -> str:
    password = load_settings().counsellor_password if args.from_env else None
    return password if password is not None else getpass.getpass(TEXTS.accounts.password_prompt)


def _add(args: argparse.Namespace) -> int:
    password = _password(args)
    try:
        accounts.add_counsellor(load_settings().handoff_url, args.username, password, args.role)
    except accounts.AccountError as error:
        print(TEXTS.accounts.not_created.format(error=TEXTS.account_errors[error.reason]),
              file=sys.stderr)  # fmt: skip
        return 2
    print(TEXTS.accounts.ready.format(username=args.username))
    return 0


def _in_store(work: Callable[[Session], accounts.Account]) -> accounts.Account:
    url = load_settings().handoff_url
    migrate(url)
    with database.opened(url) as engine, database.session_factory(engine).begin() as session:
        return work(session)


def _change(
    args: argparse.Namespace, work: Callable[[Session], accounts.Account], change: str
) -> int:
    try:
        account = _in_store(work)
    except accounts.AccountError as error:
        print(TEXTS.accounts.not_changed.format(error=TEXTS.account_errors[error.reason]),
              file=sys.stderr)  # fmt: skip
        return 2
    role = TEXTS.roles[account.role]
    print(TEXTS.accounts.changed.format(username=args.username, change=change.format(role=role)))
    return 0


def _set_role(args: argparse.Namespace) -> int:
    return _change(
        args,
        lambda s: accounts.set_role(s, None, args.username, args.role),
        TEXTS.accounts.role_set,
    )


def _disable(args: argparse.Namespace) -> int:
    return _change(
        args,
        lambda s: accounts.set_disabled(s, None, args.username, True),
        TEXTS.accounts.disabled,
    )


def _enable(args: argparse.Namespace) -> int:
    return _change(
        args,
        lambda s: accounts.set_disabled(s, None, args.username, False),
        TEXTS.accounts.enabled,
    )


def _reset_password(args: argparse.Namespace) -> int:
    password = _password(args)
    return _change(
        args,
        lambda s: accounts.reset_password(s, None, args.username, password),
        TEXTS.accounts.password_reset,
    )


def _list(_: argparse.Namespace) -> int:
    url = load_settings().handoff_url
    migrate(url)
    with database.opened(url) as engine, database.session_factory(engine)() as session:
        for account in accounts.accounts(session):
            state = TEXTS.accounts.disabled if account.disabled else TEXTS.accounts.active
            print(TEXTS.accounts.listed.format(
                username=account.username, role=TEXTS.roles[account.role], state=state
            ))  # fmt: skip
    return 0


def _serve(_: argparse.Namespace) -> int:
    settings = load_settings()
    token = settings.rasa_token
    if not token:
        print("RASA_TOKEN is needed to talk to Rasa's HTTP API.", file=sys.stderr)
        return 2
    config = ConsoleConfig.from_settings(settings, token)
    # No access log: it would hold addresses and user agents.
    web.run_app(
        init_app(config), host="127.0.0.1", port=settings.web_port, print=None, access_log=None
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m channels.console",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-counsellor", help="create an account or set its password")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, help="a new account's role (default: counsellor)")
    add.set_defaults(run=_add)
    role = commands.add_parser("set-role", help="give an account another role")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(run=_set_role)
    for name, run, text in (
        ("disable", _disable, "disable an account and end its sessions"),
        ("enable", _enable, "enable a disabled account"),
        ("reset-password", _reset_password, "give an account a new password, ending its sessions"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("username")
        command.set_defaults(run=run)
    for command in (add, commands.choices["reset-password"]):
        command.add_argument(
            "--from-env", action="store_true", help="take the password from COUNSELLOR_PASSWORD"
        )
    commands.add_parser("accounts", help="list every account").set_defaults(run=_list)
    serve = commands.add_parser("serve", help="run the web server (console, API, demo page)")
    serve.set_defaults(run=_serve)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
