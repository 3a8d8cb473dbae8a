"""Console commands: ``add-counsellor`` (create or update an account) and ``serve``.

python -m channels.console add-counsellor NAME      (asks for the password)
python -m channels.console serve                     (the web server on WEB_PORT)
"""

from __future__ import annotations

import argparse
import getpass
import sys

from aiohttp import web

from channels.console.app import init_app
from channels.console.config import ConsoleConfig
from channels.console.texts import TEXTS
from handoff.accounts import add_counsellor
from settings import load_settings


def _add(args: argparse.Namespace) -> int:
    password = load_settings().counsellor_password if args.from_env else None
    if password is None:
        password = getpass.getpass(TEXTS.accounts.password_prompt)
    try:
        add_counsellor(load_settings().handoff_url, args.username, password)
    except ValueError as error:
        print(TEXTS.accounts.not_created.format(error=error), file=sys.stderr)
        return 2
    print(TEXTS.accounts.ready.format(username=args.username))
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
    parser = argparse.ArgumentParser(prog="python -m channels.console", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-counsellor", help="create or update a counsellor account")
    add.add_argument("username")
    add.add_argument(
        "--from-env", action="store_true", help="take the password from COUNSELLOR_PASSWORD"
    )
    add.set_defaults(run=_add)
    serve = commands.add_parser("serve", help="run the web server (console, API, demo page)")
    serve.set_defaults(run=_serve)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
