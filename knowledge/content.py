"""Read and check the reviewed content files in ``knowledge/content/``.

Every problem is reported as ``file:line: message`` so that a content editor can fix it.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.translations import read_translations
from knowledge.vocabulary import NEEDS, USER_GROUPS

CONTENT_DIR = Path(__file__).parent / "content"
DATA_DIR = Path(__file__).parent / "data"
REACH_KEYS = ("website", "phone", "chat", "via")


class ContentError(ValueError):
    """The content breaks a rule; ``problems`` holds every ``file:line: message``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    """One entry of a content file, with where it stands."""

    data: dict[str, Any]
    file: str
    line: int
    field_lines: dict[str, int]

    def where(self, name: str | None = None) -> str:
        return f"{self.file}:{self.field_lines.get(name, self.line) if name else self.line}"


@dataclass
class Content:
    """All reviewed content, checked."""

    sources: list[Entry] = field(default_factory=list)
    services: list[Entry] = field(default_factory=list)
    facts: list[Entry] = field(default_factory=list)
    crisis_lines: list[Entry] = field(default_factory=list)
    sectors: list[Entry] = field(default_factory=list)
    overrides: dict[str, str | None] = field(default_factory=dict)
    # {"services": {key: {language: {field: text}}}, "facts": {key: {language: text}}}
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)


def _read_entries(path: Path, problems: list[str]) -> list[Entry]:
    name = path.name
    loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(f"{name}:{mark.line + 1 if mark else 1}: not valid YAML ({error})")
        return []
    finally:
        loader.dispose()
    if not isinstance(data, list):
        problems.append(f"{name}:1: expected a list of entries")
        return []
    entries = []
    for item_node, item in zip(node.value, data, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            problems.append(f"{name}:{line}: expected an entry with fields")
            continue
        field_lines = {k.value: k.start_mark.line + 1 for k, _ in item_node.value}
        entries.append(Entry(item, name, line, field_lines))
    return entries


def _require(entry: Entry, names: tuple[str, ...], problems: list[str]) -> None:
    for name in names:
        value = entry.data.get(name)
        if value is None or value == "" or value == []:
            problems.append(f"{entry.where()}: {entry.data.get('key', 'entry')} has no {name}")


def _check_date(entry: Entry, name: str, problems: list[str]) -> None:
    value = entry.data.get(name)
    if value is not None and not isinstance(value, dt.date):
        problems.append(f"{entry.where(name)}: {name} must be a date like 2024-09-01")


def _check_unique_keys(entries: list[Entry], problems: list[str]) -> None:
    seen: dict[str, Entry] = {}
    for entry in entries:
        key = entry.data.get("key")
        if key in seen:
            problems.append(f"{entry.where('key')}: key {key!r} also at {seen[key].where('key')}")
        seen[key] = entry


def _check_source(entry: Entry, source_keys: set[str], problems: list[str]) -> None:
    source = entry.data.get("source")
    if source and source not in source_keys:
        problems.append(f"{entry.where('source')}: unknown source {source!r}")


def _check_services(services: list[Entry], source_keys: set[str], problems: list[str]) -> None:
    for entry in services:
        _require(
            entry, ("key", "name", "what", "user_groups", "needs", "source", "as_of"), problems
        )
        _check_date(entry, "as_of", problems)
        _check_source(entry, source_keys, problems)
        for group in entry.data.get("user_groups") or []:
            if group not in USER_GROUPS:
                problems.append(f"{entry.where('user_groups')}: unknown user group {group!r}")
        for need in entry.data.get("needs") or []:
            if need not in NEEDS:
                problems.append(f"{entry.where('needs')}: unknown need {need!r}")
        reach = entry.data.get("reach") or {}
        if not isinstance(reach, dict) or not any(reach.get(k) for k in REACH_KEYS):
            problems.append(f"{entry.where('reach')}: reach needs one of {', '.join(REACH_KEYS)}")


def _read_overrides(path: Path, problems: list[str]) -> dict[str, str | None]:
    overrides: dict[str, str | None] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            title = (row.get("vdab_title") or "").strip()
            if not title:
                problems.append(f"{path.name}:{line}: vdab_title is empty")
                continue
            overrides[title] = (row.get("esco_uri") or "").strip() or None
    return overrides


def load_content(content_dir: Path = CONTENT_DIR) -> Content:
    """Read every content file and check the rules; raise ContentError on any problem."""
    problems: list[str] = []
    content = Content(
        sources=_read_entries(content_dir / "sources.yml", problems),
        services=_read_entries(content_dir / "services.yml", problems),
        facts=_read_entries(content_dir / "facts.yml", problems),
        crisis_lines=_read_entries(content_dir / "crisis_lines.yml", problems),
        sectors=_read_entries(content_dir / "sectors.yml", problems),
        overrides=_read_overrides(content_dir / "vdab_esco_overrides.csv", problems),
    )
    for entry in content.sources:
        _require(entry, ("key", "title", "publisher", "cite_as", "date"), problems)
        _check_date(entry, "date", problems)
    source_keys = {e.data.get("key") for e in content.sources}
    _check_services(content.services, source_keys, problems)
    for entry in content.facts:
        _require(entry, ("key", "text", "source", "as_of"), problems)
        _check_date(entry, "as_of", problems)
        _check_source(entry, source_keys, problems)
    fact_keys = {e.data.get("key") for e in content.facts}
    for entry in content.services:
        for key in entry.data.get("facts") or []:
            if key not in fact_keys:
                problems.append(f"{entry.where('facts')}: unknown fact {key!r}")
    for entry in content.crisis_lines:
        _require(entry, ("key", "name", "source", "as_of"), problems)
        _check_date(entry, "as_of", problems)
        _check_source(entry, source_keys, problems)
        if not (entry.data.get("phone") or entry.data.get("chat")):
            problems.append(f"{entry.where()}: {entry.data.get('key')} has no phone or chat")
    for entries in (content.sources, content.services, content.facts, content.crisis_lines):
        _check_unique_keys(entries, problems)
    for entry in content.sectors:
        _require(entry, ("heading", "words"), problems)
    content.translations = read_translations(
        content_dir / "translations.yml", content.services, content.facts, problems
    )
    if problems:
        raise ContentError(problems)
    return content
