"""The index that knowledge/search.py looks occupation names up in, per database:
SQLite's FTS5 trigram table with its trigram counts, PostgreSQL's pg_trgm and Dutch
full-text indexes."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection


def create_search_index(conn: Connection) -> None:
    """Index the filled ``occupation_names`` table for fuzzy lookups."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE occupation_names_fts USING fts5("
                "normalised, content='occupation_names', content_rowid='id', tokenize='trigram')"
            )
        )
        conn.execute(
            text("INSERT INTO occupation_names_fts(occupation_names_fts) VALUES('rebuild')")
        )
        # How many names hold each trigram, as a plain indexed table: the fts5vocab view
        # scans the whole vocabulary on every lookup.
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE occupation_names_vocab "
                "USING fts5vocab(occupation_names_fts, row)"
            )
        )
        conn.execute(
            text(
                "CREATE TABLE occupation_names_grams (term TEXT PRIMARY KEY, doc INTEGER) "
                "WITHOUT ROWID"
            )
        )
        conn.execute(
            text("INSERT INTO occupation_names_grams SELECT term, doc FROM occupation_names_vocab")
        )
        conn.execute(text("DROP TABLE occupation_names_vocab"))
    else:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(
            text(
                "CREATE INDEX occupation_names_trgm ON occupation_names "
                "USING gin (normalised gin_trgm_ops)"
            )
        )
        conn.execute(
            text(
                "CREATE INDEX occupation_names_dutch ON occupation_names "
                "USING gin (to_tsvector('dutch', normalised))"
            )
        )
