"""Occupation names people may type, read from the built knowledge store.

These names feed the spaCy entity ruler, so that the assistant recognises thousands of
occupations without listing them in its NLU examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.content import DATA_DIR
from knowledge.models import Occupation, OccupationName, ShortageListing

# Reviewed aliases first, then VDAB titles, then ESCO: the first reading of a word wins.
KIND_ORDER = {"alias": 0, "vdab": 1, "label": 2, "synonym": 3}


@dataclass(frozen=True)
class NameForRuler:
    """One way of naming an occupation, with the canonical name it stands for."""

    text: str
    canonical: str


def _stoplist(data_dir: Path) -> set[str]:
    lines = (data_dir / "entity_stoplist.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def occupation_names(session: Session, data_dir: Path = DATA_DIR) -> list[NameForRuler]:
    """All recognisable occupation names in the store, deduplicated, stoplist removed."""
    rows = session.execute(
        select(OccupationName.name, OccupationName.kind, Occupation.label, ShortageListing.title)
        .outerjoin(Occupation, Occupation.id == OccupationName.occupation_id)
        .outerjoin(ShortageListing, ShortageListing.id == OccupationName.shortage_id)
    ).all()
    rows.sort(key=lambda r: KIND_ORDER[r.kind])
    stop = _stoplist(data_dir)
    seen: set[str] = set()
    names = []
    for name, kind, label, title in rows:
        key = name.lower()
        if key in seen or key in stop or len(key) < 3:
            continue
        seen.add(key)
        canonical = title if kind in ("vdab", "alias") and title else (label or title)
        names.append(NameForRuler(name, canonical))
    return names
