"""Find occupations from what people type: exact, synonym, stem, then fuzzy.

One interface, two engines: SQLite's FTS5 trigram index or PostgreSQL's pg_trgm and
Dutch full-text search supply fuzzy candidates; Python ranks them. No SQL is built
from user text: the text only ever travels as a bound parameter.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from itertools import pairwise

from sqlalchemy import case, select, text
from sqlalchemy.orm import Session

from knowledge.models import Occupation, OccupationName, ShortageListing, ShortageOccupation
from knowledge.names import normalise_name, stem_name, trigrams

CANDIDATES = 40
RARE_GRAMS = 5
MIN_FUZZY = 0.72
CLOSE = 0.05
KIND_CONFIDENCE = {"label": 1.0, "vdab": 1.0, "alias": 0.99, "synonym": 0.9}


@dataclass(frozen=True)
class OccupationMatch:
    """An occupation (ESCO) or a shortage title (VDAB) that a query may mean."""

    display_name: str
    occupation_id: int | None
    shortage_id: int | None
    confidence: float
    method: str  # exact, stem, fuzzy


_NAME_COLUMNS = (
    OccupationName.id,
    OccupationName.normalised,
    OccupationName.kind,
    OccupationName.occupation_id,
    OccupationName.shortage_id,
)


def _direct_rows(session: Session, normalised: str, stem: str) -> list:
    """Plain rows (no ORM objects: this is the hot path) of exact, then stem matches."""
    query = (
        select(*_NAME_COLUMNS)
        .where((OccupationName.normalised == normalised) | (OccupationName.stem == stem))
        .order_by(case((OccupationName.normalised == normalised, 0), else_=1))
        .limit(CANDIDATES)
    )
    return list(session.execute(query))


_ROW_SQL = "n.id, n.normalised, n.kind, n.occupation_id, n.shortage_id"


def _fuzzy_candidates(session: Session, query: str) -> list:
    """Names that share rare trigrams (SQLite FTS5) or are similar (pg_trgm, Dutch FTS)."""
    grams = trigrams(query)
    if not grams:
        return []
    if session.bind.dialect.name == "sqlite":
        # Only the rarest trigrams that exist: common ones ("eer", "ier") match thousands
        # of names and slow the ranking down without helping to find the right one.
        params = {f"g{i}": g for i, g in enumerate(grams)}
        placeholders = ", ".join(f":{key}" for key in params)
        rare = [
            row[0]
            for row in session.execute(
                text(
                    f"SELECT term FROM occupation_names_grams WHERE term IN ({placeholders}) "
                    "ORDER BY doc LIMIT :k"
                ),
                {**params, "k": RARE_GRAMS},
            )
        ]
        if not rare:
            return []
        match = " OR ".join(f'"{g}"' for g in rare)  # trigrams hold only [a-z0-9]
        return list(
            session.execute(
                text(
                    f"SELECT {_ROW_SQL} FROM occupation_names_fts "
                    "JOIN occupation_names AS n ON n.id = occupation_names_fts.rowid "
                    "WHERE occupation_names_fts MATCH :m ORDER BY rank LIMIT :n"
                ),
                {"m": match, "n": CANDIDATES * 2},
            )
        )
    return list(
        session.execute(
            text(
                f"SELECT {_ROW_SQL} FROM occupation_names AS n WHERE n.normalised % :q "
                "OR to_tsvector('dutch', n.normalised) @@ plainto_tsquery('dutch', :q) "
                "ORDER BY similarity(n.normalised, :q) DESC LIMIT :n"
            ),
            {"q": query, "n": CANDIDATES * 2},
        )
    )


def _display_names(session: Session, rows: list) -> dict[tuple, str]:
    occupation_ids = {r.occupation_id for r in rows if r.occupation_id}
    shortage_ids = {r.shortage_id for r in rows if r.shortage_id and not r.occupation_id}
    names: dict[tuple, str] = {}
    if occupation_ids:
        query = select(Occupation.id, Occupation.label).where(Occupation.id.in_(occupation_ids))
        names.update({("occupation", r.id): r.label for r in session.execute(query)})
    if shortage_ids:
        query = select(ShortageListing.id, ShortageListing.title).where(
            ShortageListing.id.in_(shortage_ids)
        )
        names.update({("shortage", r.id): r.title for r in session.execute(query)})
    return names


def _scored_rows(session: Session, query: str) -> list[tuple]:
    normalised = normalise_name(query)
    # Exact and stem matches in one indexed query; an exact match wins.
    direct = _direct_rows(session, normalised, stem_name(query))
    exact = [r for r in direct if r.normalised == normalised]
    if exact:
        return [(r, KIND_CONFIDENCE[r.kind], "exact") for r in exact]
    if direct:
        return [(r, round(0.93 * KIND_CONFIDENCE[r.kind], 3), "stem") for r in direct]
    scored = []
    # SequenceMatcher indexes its second sequence: index the query once, not every name.
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(normalised)
    for row in _fuzzy_candidates(session, normalised):
        matcher.set_seq1(row.normalised)
        if matcher.real_quick_ratio() >= MIN_FUZZY and matcher.quick_ratio() >= MIN_FUZZY:
            ratio = matcher.ratio()
            if ratio >= MIN_FUZZY:
                scored.append((row, round(ratio * 0.95 * KIND_CONFIDENCE[row.kind], 3), "fuzzy"))
    return scored


def find_occupations(session: Session, query: str, limit: int = 3) -> list[OccupationMatch]:
    """The best matches for ``query``, most likely first, one per occupation or title."""
    if not normalise_name(query):
        return []
    scored = _scored_rows(session, query)
    if not scored:
        return []
    names = _display_names(session, [row for row, _, _ in scored])
    best: dict[tuple, OccupationMatch] = {}
    for row, confidence, method in scored:
        key = (
            ("occupation", row.occupation_id)
            if row.occupation_id
            else ("shortage", row.shortage_id)
        )
        previous = best.get(key)
        shortage_id = row.shortage_id or (previous.shortage_id if previous else None)
        if (
            previous is None
            or confidence > previous.confidence
            or shortage_id != previous.shortage_id
        ):
            confidence = max(confidence, previous.confidence if previous else 0.0)
            best[key] = OccupationMatch(
                names[key], row.occupation_id, shortage_id, confidence, method
            )
    ranked = sorted(best.values(), key=lambda m: (-m.confidence, m.display_name))[:limit]
    return _with_shortage_links(session, ranked)


def _with_shortage_links(session: Session, matches: list[OccupationMatch]) -> list[OccupationMatch]:
    """Attach the shortage listing of an occupation that was found under its own name."""
    missing = [m.occupation_id for m in matches if m.occupation_id and m.shortage_id is None]
    if not missing:
        return matches
    links: dict[int, int] = {}
    for occupation_id, shortage_id in session.execute(
        select(ShortageOccupation.occupation_id, ShortageOccupation.shortage_id)
        .where(ShortageOccupation.occupation_id.in_(missing))
        .order_by(ShortageOccupation.shortage_id)
    ):
        links.setdefault(occupation_id, shortage_id)
    return [
        replace(m, shortage_id=links.get(m.occupation_id)) if m.shortage_id is None else m
        for m in matches
    ]


# Words of a question that are never the occupation itself.
QUESTION_WORDS = frozenset(
    {
        "wat",
        "wie",
        "hoe",
        "hoeveel",
        "welke",
        "welk",
        "waar",
        "wanneer",
        "waarom",
        "is",
        "zijn",
        "was",
        "een",
        "de",
        "het",
        "den",
        "van",
        "voor",
        "als",
        "ik",
        "je",
        "jij",
        "u",
        "we",
        "ze",
        "hij",
        "zij",
        "wil",
        "wilt",
        "willen",
        "worden",
        "word",
        "wordt",
        "doet",
        "doen",
        "deed",
        "verdient",
        "verdien",
        "verdienen",
        "knelpuntberoep",
        "knelpuntberoepen",
        "beroep",
        "beroepen",
        "job",
        "jobs",
        "werk",
        "werken",
        "opleiding",
        "opleidingen",
        "studie",
        "studies",
        "studeren",
        "nodig",
        "om",
        "te",
        "moet",
        "moeten",
        "kan",
        "kunnen",
        "info",
        "informatie",
        "over",
        "meer",
        "weten",
        "eigenlijk",
        "in",
        "op",
        "met",
        "en",
        "of",
        "er",
        "dat",
        "die",
        "dit",
        "daar",
        "graag",
        "aub",
        "vacatures",
        "loon",
        "salaris",
        "toekomst",
        "gevraagd",
        "tekort",
        "lijst",
        "staat",
    }
)


def find_occupation_in_text(
    session: Session, text: str, min_confidence: float = 0.8
) -> list[OccupationMatch]:
    """Find an occupation named somewhere in a message, typos included.

    For messages where the entity ruler found none: "wat doet een elektriecien".
    """
    words = [w for w in normalise_name(text).split() if w not in QUESTION_WORDS and len(w) >= 3]
    spans = [" ".join(pair) for pair in pairwise(words)]
    spans += sorted(words, key=len, reverse=True)
    for span in spans:
        matches = find_occupations(session, span)
        if matches and matches[0].confidence >= min_confidence:
            return matches
    return []


def is_ambiguous(matches: list[OccupationMatch]) -> bool:
    """True when the top two are too close to pick one: ask "bedoel je ...?"."""
    return (
        len(matches) >= 2
        and matches[0].confidence < 0.95
        and matches[0].confidence - matches[1].confidence <= CLOSE
    )
