"""Find occupations from what people type: exact, synonym, stem, then fuzzy.

One interface, two engines: SQLite's FTS5 trigram index or PostgreSQL's pg_trgm and
Dutch full-text search supply fuzzy candidates; Python ranks them. No SQL is built
from user text: the text only ever travels as a bound parameter.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from itertools import pairwise

from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.names import normalise_name, stem_name, trigrams

CANDIDATES = 30
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


# Every candidate row carries what the answer needs, so that a lookup is one query for
# exact and stem matches, or two for fuzzy ones: the name shown (the ESCO label, else the
# VDAB title) and the first shortage listing of its occupation.
_ROW_SQL = (
    "n.id, n.normalised, n.kind, n.occupation_id, n.shortage_id, "
    "COALESCE(o.label, s.title) AS display, "
    "(SELECT MIN(so.shortage_id) FROM shortage_occupations AS so "
    "WHERE so.occupation_id = n.occupation_id) AS linked_shortage"
)
_JOINS = (
    "LEFT JOIN occupations AS o ON o.id = n.occupation_id "
    "LEFT JOIN shortage_listings AS s ON s.id = n.shortage_id"
)


def _direct_rows(session: Session, normalised: str, stem: str) -> list:
    """Exact, then stem matches, as plain rows (this is the hot path)."""
    return list(
        session.execute(
            text(
                f"SELECT {_ROW_SQL} FROM occupation_names AS n {_JOINS} "
                "WHERE n.normalised = :n OR n.stem = :s "
                "ORDER BY CASE WHEN n.normalised = :n THEN 0 ELSE 1 END LIMIT :k"
            ),
            {"n": normalised, "s": stem, "k": CANDIDATES},
        )
    )


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
                    f"JOIN occupation_names AS n ON n.id = occupation_names_fts.rowid {_JOINS} "
                    "WHERE occupation_names_fts MATCH :m ORDER BY rank LIMIT :n"
                ),
                {"m": match, "n": CANDIDATES * 2},
            )
        )
    return list(
        session.execute(
            text(
                f"SELECT {_ROW_SQL} FROM occupation_names AS n {_JOINS} "
                "WHERE n.normalised % :q "
                "OR to_tsvector('dutch', n.normalised) @@ plainto_tsquery('dutch', :q) "
                "ORDER BY similarity(n.normalised, :q) DESC LIMIT :n"
            ),
            {"q": query, "n": CANDIDATES * 2},
        )
    )


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
    best: dict[tuple, OccupationMatch] = {}
    linked: dict[tuple, int | None] = {}
    for row, confidence, method in _scored_rows(session, query):
        key = (
            ("occupation", row.occupation_id)
            if row.occupation_id
            else ("shortage", row.shortage_id)
        )
        linked[key] = row.linked_shortage
        previous = best.get(key)
        shortage_id = row.shortage_id or (previous.shortage_id if previous else None)
        if (
            previous is None
            or confidence > previous.confidence
            or shortage_id != previous.shortage_id
        ):
            confidence = max(confidence, previous.confidence if previous else 0.0)
            best[key] = OccupationMatch(
                row.display, row.occupation_id, shortage_id, confidence, method
            )
    ranked = sorted(best.values(), key=lambda m: (-m.confidence, m.display_name))[:limit]
    # An occupation found under its own name still gets the shortage listing it is on.
    return [
        replace(m, shortage_id=linked[("occupation", m.occupation_id)])
        if m.shortage_id is None and m.occupation_id
        else m
        for m in ranked
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
