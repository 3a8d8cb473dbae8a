"""Build the knowledge store from the shipped data and the reviewed content.

Idempotent: the build is skipped when the inputs did not change. A running assistant
sees either the old or the new store, never a half-built one: SQLite is built in a new
file that replaces the old one; PostgreSQL is rebuilt in one transaction.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection, make_url

import database
from knowledge.content import CONTENT_DIR, DATA_DIR, REACH_KEYS, Content, load_content
from knowledge.models import (
    Base,
    BuildInfo,
    CrisisLine,
    Fact,
    OccupationName,
    SectorWord,
    Service,
    Source,
)
from knowledge.names import normalise_name, stem_name
from knowledge.occupation_data import alias_names, insert_occupations, insert_shortages
from knowledge.search_index import create_search_index
from settings import load_settings

VDAB_SOURCE = "vdab_knelpuntberoepen_2026"


@dataclass
class BuildReport:
    """What a build did."""

    skipped: bool
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    methods: dict[str, int] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)


def fingerprint(content_dir: Path = CONTENT_DIR, data_dir: Path = DATA_DIR) -> str:
    """Hash of every input file and of the build code."""
    digest = hashlib.sha256()
    code = sorted(Path(__file__).parent.glob("*.py"))
    inputs = sorted(p for d in (content_dir, data_dir) for p in d.rglob("*") if p.is_file())
    for path in code + inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _numbered(conn: Connection, table: type, entries: list, row: Callable) -> None:
    """Insert one row per content entry, numbered from 1 in file order (``row(i, data)``)."""
    rows = [{"id": i, **row(i, entry.data)} for i, entry in enumerate(entries, start=1)]
    if rows:
        conn.execute(insert(table), rows)


def _insert_content(conn: Connection, content: Content) -> dict[str, int]:
    source_ids = {entry.data["key"]: i for i, entry in enumerate(content.sources, start=1)}
    translated = content.translations

    def sourced(data: dict) -> dict:
        """The key, source and date that services, facts and crisis lines all carry."""
        return {"key": data["key"], "source_id": source_ids[data["source"]], "as_of": data["as_of"]}

    def service(_: int, d: dict) -> dict:
        reach = d.get("reach") or {}
        return {
            **sourced(d), "name": d["name"], "what": d["what"],
            "user_groups": list(d["user_groups"]), "needs": list(d["needs"]),
            **{part: reach.get(part) for part in (*REACH_KEYS, "opening_hours")},
            **{part: d.get(part) for part in ("cost", "region", "conditions", "referral")},
            "fact_keys": list(d.get("facts") or []),
            "translations": translated["services"].get(d["key"], {}),
        }  # fmt: skip

    _numbered(conn, Source, content.sources, lambda _, d: {
        "key": d["key"], "title": d["title"], "publisher": d["publisher"],
        "cite_as": d["cite_as"], "url": d.get("url"), "published": d["date"],
    })  # fmt: skip
    _numbered(conn, Service, content.services, service)
    _numbered(conn, Fact, content.facts, lambda _, d: {
        **sourced(d), "text": d["text"], "note": d.get("note"),
        "translations": translated["facts"].get(d["key"], {}),
    })  # fmt: skip
    _numbered(conn, CrisisLine, content.crisis_lines, lambda i, d: {
        **sourced(d), "position": i, "name": d["name"],
        **{part: d.get(part) for part in ("phone", "chat", "hours", "for_whom")},
    })  # fmt: skip
    words = {
        normalise_name(str(word)): entry.data["heading"]
        for entry in content.sectors
        for word in entry.data["words"]
    }
    conn.execute(insert(SectorWord), [{"word": w, "heading": h} for w, h in words.items()])
    return source_ids


def _fill(conn: Connection, content: Content, data_dir: Path, print_fp: str) -> BuildReport:
    report = BuildReport(skipped=False)
    if conn.dialect.name != "sqlite":
        conn.execute(text("DROP TABLE IF EXISTS occupation_names_fts"))
        Base.metadata.drop_all(conn)
    Base.metadata.create_all(conn)
    source_ids = _insert_content(conn, content)
    occupation_ids, names, esco_names = insert_occupations(conn, data_dir)
    shortage_names, matches = insert_shortages(
        conn, data_dir, content, source_ids[VDAB_SOURCE], occupation_ids, esco_names
    )
    names += shortage_names
    targets = {n["normalised"]: n for n in names if n["kind"] in ("vdab", "label")}
    for alias in alias_names(data_dir):
        target = targets.get(alias["target"])
        if target:
            names.append(
                {"name": alias["alias"], "normalised": normalise_name(alias["alias"]),
                 "stem": stem_name(alias["alias"]), "kind": "alias",
                 "occupation_id": target["occupation_id"], "shortage_id": target["shortage_id"]}
            )  # fmt: skip
    conn.execute(insert(OccupationName), names)
    create_search_index(conn)
    conn.execute(delete(BuildInfo))
    conn.execute(insert(BuildInfo).values(key="fingerprint", value=print_fp))
    report.counts = {
        "sources": len(content.sources),
        "services": len(content.services),
        "facts": len(content.facts),
        "crisis lines": len(content.crisis_lines),
        "occupations": len(occupation_ids),
        "occupation names": len(names),
        "shortage titles": len(matches),
    }
    for match in matches:
        report.methods[match.method] = report.methods.get(match.method, 0) + 1
    report.unmatched = [m.title for m in matches if not m.uris]
    return report


def current_fingerprint(url: str) -> str | None:
    """The fingerprint the store at ``url`` was built from, or None."""
    try:
        with database.opened(url) as engine, engine.connect() as conn:
            return conn.execute(
                select(BuildInfo.value).where(BuildInfo.key == "fingerprint")
            ).scalar_one_or_none()
    except Exception:  # no store yet, or an old schema: build it
        return None


def build_store(
    url: str | None = None,
    force: bool = False,
    content_dir: Path = CONTENT_DIR,
    data_dir: Path = DATA_DIR,
) -> BuildReport:
    """Build the store at ``url`` (default: DATABASE_URL or the SQLite file)."""
    started = time.monotonic()
    url = url or load_settings().knowledge_url
    content = load_content(content_dir)
    print_fp = fingerprint(content_dir, data_dir)
    if not force and current_fingerprint(url) == print_fp:
        return BuildReport(skipped=True, seconds=time.monotonic() - started)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = Path(parsed.database)
        target.parent.mkdir(parents=True, exist_ok=True)
        building = target.with_name(target.name + ".building")
        building.unlink(missing_ok=True)
        with database.opened(f"sqlite:///{building}") as engine, engine.begin() as conn:
            report = _fill(conn, content, data_dir, print_fp)
        os.replace(building, target)
    else:
        with database.opened(url) as engine, engine.begin() as conn:
            report = _fill(conn, content, data_dir, print_fp)
    report.seconds = time.monotonic() - started
    return report
