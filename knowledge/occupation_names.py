"""Occupation names people may type, read from the shipped ESCO and VDAB data.

These names feed the spaCy entity ruler, so that the assistant recognises thousands of
occupations without listing them in its NLU examples.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class OccupationName:
    """One way of naming an occupation, with the canonical name it stands for."""

    text: str
    canonical: str


def _stoplist(data_dir: Path) -> set[str]:
    lines = (data_dir / "entity_stoplist.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def _esco_names(data_dir: Path) -> Iterator[OccupationName]:
    with open(data_dir / "esco" / "occupations_nl.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            label = row["preferredLabel"].strip()
            yield OccupationName(label, label)
            for alt in row["altLabels"].split("\n"):
                if alt.strip():
                    yield OccupationName(alt.strip(), label)


def _vdab_names(data_dir: Path) -> Iterator[OccupationName]:
    path = data_dir / "vdab" / "knelpuntberoepen_2026.csv"
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            title = row["beroep"].strip()
            yield OccupationName(title, title)
            # "Apotheker: ziekenhuisapotheker" is also found as its last part.
            if ":" in title:
                yield OccupationName(title.split(":", 1)[1].strip(), title)


def _alias_names(data_dir: Path) -> Iterator[OccupationName]:
    with open(data_dir / "occupation_aliases.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield OccupationName(row["alias"].strip(), row["name"].strip())


def occupation_names(data_dir: Path = DATA_DIR) -> list[OccupationName]:
    """All recognisable occupation names, deduplicated on lowercase text, stoplist removed.

    Reviewed aliases come first so that they win over ESCO's reading of the same word.
    """
    stop = _stoplist(data_dir)
    seen: set[str] = set()
    names: list[OccupationName] = []
    for source in (_alias_names, _vdab_names, _esco_names):
        for name in source(data_dir):
            key = name.text.lower()
            if key in seen or key in stop or len(key) < 3:
                continue
            seen.add(key)
            names.append(name)
    return names
