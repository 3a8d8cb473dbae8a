"""Command line of the handoff store: ``python -m handoff <command>``.

migrate    bring the store to the latest revision (the launcher runs it before the servers)
"""

from __future__ import annotations

import argparse
import sys

from handoff.schema import migrate
from settings import load_settings


def _migrate(args: argparse.Namespace) -> int:
    migrate(args.url or load_settings().handoff_url)
    print("Handoff store is at the latest revision.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handoff", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrate_cmd = commands.add_parser("migrate", help="bring the store to the latest revision")
    migrate_cmd.add_argument("--url", help="the store's URL (default: from DATABASE_URL)")
    migrate_cmd.set_defaults(run=_migrate)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
