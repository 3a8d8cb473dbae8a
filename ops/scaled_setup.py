"""Create the PostgreSQL database of the scaled set-up when it is missing.

python -m ops.scaled_setup postgresql://postgres@127.0.0.1:5432/wegwijzer
"""

from __future__ import annotations

import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def _admin(url: str):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def recreate_database(url: str) -> str:
    """Drop the database (closing its connections) and create it empty; returns ``url``.
    For benchmarks and tests, never for the service's own database."""
    admin = _admin(url)
    quoted = admin.dialect.identifier_preparer.quote(make_url(url).database)
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        admin.dispose()
    return url


def ensure_database(url: str) -> bool:
    """True when the database was created, False when it was there already."""
    target = make_url(url)
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            ).first()
            if not exists:
                # A database name cannot be a bound parameter; quote it as an identifier.
                quoted = admin.dialect.identifier_preparer.quote(target.database)
                conn.execute(text(f"CREATE DATABASE {quoted}"))
            return not exists
    finally:
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    created = ensure_database(args[0])
    print(f"Database {make_url(args[0]).database} {'created' if created else 'is there'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
