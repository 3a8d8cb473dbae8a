"""Rows of the occupation tables from the shipped data: ESCO occupations and ISCO groups,
VDAB's shortage titles matched to ESCO, and the reviewed everyday aliases."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from knowledge.content import Content
from knowledge.matching import EscoIndex, EscoName, TitleMatch
from knowledge.models import IscoGroup, Occupation, ShortageListing, ShortageOccupation
from knowledge.names import normalise_name, stem_name

SHORTAGE_YEAR = 2026
ESCO_REGULATED_PREFIX = "http://data.europa.eu/esco/regulated-professions/"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _regulated_note(value: str) -> str | None:
    note = value.strip()
    if not note or note.endswith("/unregulated"):
        return None
    return note.removeprefix(ESCO_REGULATED_PREFIX).replace("-", " ")


def insert_occupations(conn: Connection, data_dir: Path) -> tuple[dict[str, int], list, list]:
    """ESCO's ISCO groups and occupations; their ids by URI, their names, and the names
    to match VDAB's titles against."""
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


def insert_shortages(
    conn: Connection,
    data_dir: Path,
    content: Content,
    source_id: int,
    occupation_ids: dict[str, int],
    esco_names: list[EscoName],
) -> tuple[list[dict], list[TitleMatch]]:
    """VDAB's shortage listings, linked to the ESCO occupations their titles match; the
    titles as occupation names, and how each title was matched."""
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


def alias_names(data_dir: Path) -> list[dict]:
    """Reviewed everyday words, found under the shortage title or ESCO label they name."""
    return [
        {"alias": r["alias"].strip(), "target": normalise_name(r["name"])}
        for r in _read_csv(data_dir / "occupation_aliases.csv")
    ]
