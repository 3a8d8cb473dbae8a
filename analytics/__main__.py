"""python -m analytics consume | setup | export --from 2026-01-01 --to 2027-01-01 ..."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys

from settings import SettingsError, load_settings


def _date(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("consume", help="count Rasa's events into the statistics database")
    commands.add_parser("setup", help="create the statistics tables that are missing")
    export = commands.add_parser("export", help="the aggregates as CSV, small cells suppressed")
    export.add_argument("--from", dest="start", type=_date, required=True)
    export.add_argument("--to", dest="end", type=_date, required=True)
    export.add_argument("--period", default="day", choices=("hour", "day", "month", "year", "all"))
    export.add_argument(
        "--by", default="", help="comma-separated: channel,user_group,topic,language"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.command == "consume":
        from analytics.consumer import main as consume

        return consume(settings)
    from analytics.store import create_schema

    create_schema(settings.statistics_url)
    if args.command == "export":
        import database
        from analytics.export import write_csv

        with database.opened(settings.statistics_url) as engine, engine.connect() as conn:
            from sqlalchemy.orm import Session

            with Session(conn, future=True) as session:
                write_csv(session, sys.stdout, args.start, args.end, args.period,
                          [name for name in args.by.split(",") if name])  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
