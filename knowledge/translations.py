"""English and French texts of the services and dated facts (``content/translations.yml``).

The Dutch entry stays the reference: a translation may only give a field the Dutch entry
has, and where a translation is missing the Dutch text is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from knowledge.content import Entry

LANGUAGES = ("en", "fr")
# Service fields a translation may give; reach.via and reach.opening_hours sit under reach.
SERVICE_FIELDS = ("what", "via", "opening_hours", "cost", "conditions", "referral")


def dutch_fields(entry: Entry) -> set[str]:
    """The translatable fields the Dutch service entry has."""
    data, reach = entry.data, entry.data.get("reach") or {}
    return {name for name in SERVICE_FIELDS if data.get(name) or reach.get(name)}


def read_translations(
    path: Path, services: list[Entry], facts: list[Entry], problems: list[str]
) -> dict[str, dict[str, Any]]:
    """``{"services": {key: {language: {field: text}}}, "facts": {key: {language: text}}}``,
    checked against the Dutch entries; every problem is added to ``problems``."""
    found: dict[str, dict[str, Any]] = {"services": {}, "facts": {}}
    if not path.exists():
        return found
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    where = path.name
    service_fields = {e.data.get("key"): dutch_fields(e) for e in services}
    for key, languages in (raw.get("services") or {}).items():
        if key not in service_fields:
            problems.append(f"{where}: services.{key}: no such service")
            continue
        for language, fields in (languages or {}).items():
            if language not in LANGUAGES or not isinstance(fields, dict):
                problems.append(f"{where}: services.{key}.{language}: not one of {LANGUAGES}")
                continue
            for name, text in fields.items():
                if name not in service_fields[key] or not isinstance(text, str) or not text:
                    problems.append(
                        f"{where}: services.{key}.{language}.{name}: "
                        "not a text of a field the Dutch entry has"
                    )
        found["services"][key] = languages or {}
    fact_keys = {e.data.get("key") for e in facts}
    for key, languages in (raw.get("facts") or {}).items():
        if key not in fact_keys:
            problems.append(f"{where}: facts.{key}: no such fact")
            continue
        for language, text in (languages or {}).items():
            if language not in LANGUAGES or not isinstance(text, str) or not text:
                problems.append(f"{where}: facts.{key}.{language}: not a text in {LANGUAGES}")
        found["facts"][key] = languages or {}
    return found
