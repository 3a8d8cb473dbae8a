"""Alembic environment of the handoff store.

The service passes its connection (handoff/schema.py); the alembic command line opens
the store named by DATABASE_URL, or the default SQLite file.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from handoff.models import Base


def run(connection: Connection) -> None:
    # Batch mode: SQLite can only change a table by copying it.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    import database
    from settings import load_settings

    with database.opened(load_settings().handoff_url) as engine, engine.connect() as connection:
        run(connection)
        connection.commit()
