"""Build the knowledge store from the shipped data and the reviewed content.

Idempotent: the build is skipped when the inputs did not change. A running assistant
sees either the old or the new store, never a half-built one: SQLite is built in a new
file that replaces the old one; PostgreSQL is rebuilt in one transaction.
"""

from __future__ import annotations

import csv
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection, make_url

import database
from knowledge.content import CONTENT_DIR, DATA_DIR, Content, load_content
from knowledge.matching import EscoIndex, EscoName, TitleMatch
from knowledge.models import (
    Base,
    BuildInfo,
    CrisisLine,
    Fact,
    IscoGroup,
    Occupation,
    OccupationName,
    SectorWord,
    Service,
    ShortageListing,
    ShortageOccupation,
    Source,
)
from knowledge.names import normalise_name, stem_name
from settings import load_settings

SHORTAGE_YEAR = 2026
VDAB_SOURCE = "vdab_knelpuntberoepen_2026"
ESCO_REGULATED_PREFIX = "http://data.europa.eu/esco/regulated-professions/"


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


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _regulated_note(value: str) -> str | None:
    note = value.strip()
    if not note or note.endswith("/unregulated"):
        return None
    return note.removeprefix(ESCO_REGULATED_PREFIX).replace("-", " ")


def _insert_content(conn: Connection, content: Content) -> dict[str, int]:
    source_ids = {}
    for i, entry in enumerate(content.sources, start=1):
        d = entry.data
        conn.execute(
            insert(Source).values(
                id=i, key=d["key"], title=d["title"], publisher=d["publisher"],
                cite_as=d["cite_as"], url=d.get("url"), published=d["date"],
            )
        )  # fmt: skip
        source_ids[d["key"]] = i
    for i, entry in enumerate(content.services, start=1):
        d, reach = entry.data, entry.data.get("reach") or {}
        conn.execute(
            insert(Service).values(
                id=i, key=d["key"], name=d["name"], what=d["what"],
                user_groups=list(d["user_groups"]), needs=list(d["needs"]),
                website=reach.get("website"), phone=reach.get("phone"),
                chat=reach.get("chat"), via=reach.get("via"),
                opening_hours=reach.get("opening_hours"), cost=d.get("cost"),
                region=d.get("region"), conditions=d.get("conditions"),
                referral=d.get("referral"), fact_keys=list(d.get("facts") or []),
                source_id=source_ids[d["source"]], as_of=d["as_of"],
            )
        )  # fmt: skip
    for i, entry in enumerate(content.facts, start=1):
        d = entry.data
        conn.execute(
            insert(Fact).values(
                id=i, key=d["key"], text=d["text"], note=d.get("note"),
                source_id=source_ids[d["source"]], as_of=d["as_of"],
            )
        )  # fmt: skip
    for i, entry in enumerate(content.crisis_lines, start=1):
        d = entry.data
        conn.execute(
            insert(CrisisLine).values(
                id=i, key=d["key"], position=i, name=d["name"], phone=d.get("phone"),
                chat=d.get("chat"), hours=d.get("hours"), for_whom=d.get("for_whom"),
                source_id=source_ids[d["source"]], as_of=d["as_of"],
            )
        )  # fmt: skip
    words = {
        normalise_name(str(word)): entry.data["heading"]
        for entry in content.sectors
        for word in entry.data["words"]
    }
    conn.execute(insert(SectorWord), [{"word": w, "heading": h} for w, h in words.items()])
    return source_ids


def _insert_occupations(conn: Connection, data_dir: Path) -> tuple[dict[str, int], list]:
    isco_rows = _read_csv(data_dir / "esco" / "ISCOGroups_nl.csv")
    conn.execute(
        insert(IscoGroup),
        [{"code": r["code"], "label": r["preferredLabel"]} for r in isco_rows],
    )
    isco_codes = {r["code"] for r in isco_rows}
    occupations, names, esco_names = [], [], []
    ids: dict[str, int] = {}
    for i, row in enumerate(_read_csv(data_dir / "esco" / "occupations_nl.csv"), start=1):
        uri, label = row["conceptUri"], row["preferredLabel"].strip()
        synonyms = [s.strip() for s in row["altLabels"].split("\n") if s.strip()]
        ids[uri] = i
        occupations.append(
            {
                "id": i, "uri": uri, "label": label, "synonyms": synonyms,
                "description": row["description"].strip() or None,
                "isco_code": row["iscoGroup"] if row["iscoGroup"] in isco_codes else None,
                "regulated_note": _regulated_note(row["regulatedProfessionNote"]),
            }
        )  # fmt: skip
        for name, kind in [(label, "label")] + [(s, "synonym") for s in synonyms]:
            normalised = normalise_name(name)
            names.append(
                {"name": name, "normalised": normalised, "stem": stem_name(name),
                 "kind": kind, "occupation_id": i, "shortage_id": None}
            )  # fmt: skip
            esco_names.append(EscoName(uri, normalised, kind == "label"))
    conn.execute(insert(Occupation), occupations)
    return ids, names, esco_names


def _insert_shortages(
    conn: Connection,
    data_dir: Path,
    content: Content,
    source_id: int,
    occupation_ids: dict[str, int],
    esco_names: list[EscoName],
) -> tuple[list[dict], list[TitleMatch]]:
    index = EscoIndex(esco_names)
    listings, links, names, matches = [], [], [], []
    for i, row in enumerate(_read_csv(data_dir / "vdab" / "knelpuntberoepen_2026.csv"), start=1):
        title = row["beroep"].strip()
        listings.append(
            {"id": i, "title": title, "sector": row["sector"].strip(), "year": SHORTAGE_YEAR,
             "exempt_from_labour_market_test": row["vrijgesteld_van_arbeidsmarkttoets"] == "ja",
             "source_id": source_id}
        )  # fmt: skip
        match = index.match(title, content.overrides.get(title), title in content.overrides)
        matches.append(match)
        # A matched title is found as its (first) ESCO occupation, which knows the listing.
        first = occupation_ids.get(match.uris[0]) if match.uris else None
        names.append(
            {"name": title, "normalised": normalise_name(title), "stem": stem_name(title),
             "kind": "vdab", "occupation_id": first, "shortage_id": i}
        )  # fmt: skip
        for uri in match.uris:
            if uri in occupation_ids:
                links.append(
                    {"shortage_id": i, "occupation_id": occupation_ids[uri],
                     "method": match.method, "score": match.score}
                )  # fmt: skip
    conn.execute(insert(ShortageListing), listings)
    if links:
        conn.execute(insert(ShortageOccupation), links)
    return names, matches


def _alias_names(data_dir: Path) -> list[dict]:
    """Reviewed everyday words, found under the shortage title or ESCO label they name."""
    return [
        {"alias": r["alias"].strip(), "target": normalise_name(r["name"])}
        for r in _read_csv(data_dir / "occupation_aliases.csv")
    ]


def _create_search_index(conn: Connection) -> None:
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


def _fill(conn: Connection, content: Content, data_dir: Path, print_fp: str) -> BuildReport:
    report = BuildReport(skipped=False)
    if conn.dialect.name != "sqlite":
        conn.execute(text("DROP TABLE IF EXISTS occupation_names_fts"))
        Base.metadata.drop_all(conn)
    Base.metadata.create_all(conn)
    source_ids = _insert_content(conn, content)
    occupation_ids, names, esco_names = _insert_occupations(conn, data_dir)
    shortage_names, matches = _insert_shortages(
        conn, data_dir, content, source_ids[VDAB_SOURCE], occupation_ids, esco_names
    )
    names += shortage_names
    targets = {n["normalised"]: n for n in names if n["kind"] in ("vdab", "label")}
    for alias in _alias_names(data_dir):
        target = targets.get(alias["target"])
        if target:
            names.append(
                {"name": alias["alias"], "normalised": normalise_name(alias["alias"]),
                 "stem": stem_name(alias["alias"]), "kind": "alias",
                 "occupation_id": target["occupation_id"], "shortage_id": target["shortage_id"]}
            )  # fmt: skip
    conn.execute(insert(OccupationName), names)
    _create_search_index(conn)
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
