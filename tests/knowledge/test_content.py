"""Broken content is refused with a message naming the file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.content import CONTENT_DIR, ContentError, load_content
from knowledge.translations import LANGUAGES, dutch_fields


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(content_dir: Path) -> list[str]:
    """What the content check reports; it must refuse the content."""
    with pytest.raises(ContentError) as error:
        load_content(content_dir)
    return error.value.problems


def _line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def test_shipped_content_is_valid():
    content = load_content()
    assert len(content.services) >= 15
    assert {e.data["key"] for e in content.crisis_lines} >= {"zelfmoordlijn", "awel", "lijn_1712"}


BROKEN_EDITS = {
    edit["case"]: edit
    for edit in yaml.safe_load((Path(__file__).parent / "broken_edits.yml").read_text("utf-8"))
}


@pytest.mark.parametrize("case", BROKEN_EDITS)
def test_broken_content_is_refused_with_file_and_line(content_dir, case):
    edit = BROKEN_EDITS[case]
    name, message, line_of = edit["file"], edit["problem"], edit["line_of"]
    path = content_dir / name
    _edit(path, edit["old"], edit["new"])
    line = _line_of(path, line_of) if line_of else None
    problems = _problems(content_dir)
    if line:
        assert f"{name}:{line}: {message}" in problems
    else:
        assert any(p.startswith(f"{name}:") and message in p for p in problems)


def test_invalid_yaml_is_reported_not_raised_raw(content_dir):
    (content_dir / "facts.yml").write_text("- key: x\n  text: [unclosed\n", encoding="utf-8")
    problems = _problems(content_dir)
    assert problems[0].startswith("facts.yml:")


def _numbers(text: str) -> list[str]:
    """The numbers in a text; "17:00" counts as "17", "1.000" as "1000"."""
    return sorted(re.findall(r"\d+", re.sub(r":00\b|(?<=\d)[.,](?=\d)", "", text)))


def test_every_service_and_fact_reads_in_english_and_french_with_the_same_numbers():
    content = load_content()
    services, facts = content.translations["services"], content.translations["facts"]
    for entry in content.services:
        key, reach = entry.data["key"], entry.data.get("reach") or {}
        for language in LANGUAGES:
            translated = services[key][language]
            assert set(translated) == dutch_fields(entry), (key, language)
            for name, text in translated.items():
                dutch = entry.data.get(name) or reach.get(name)
                assert _numbers(text) == _numbers(dutch), (key, language, name)
    for entry in content.facts:
        key = entry.data["key"]
        assert set(facts[key]) == set(LANGUAGES), key
        for language, text in facts[key].items():
            assert _numbers(text) == _numbers(entry.data["text"]), (key, language)


def test_a_translation_the_dutch_entry_does_not_have_is_refused(content_dir):
    translations = content_dir / "translations.yml"
    _edit(translations, "  clb_chat:\n    en:\n", '  clb_chat:\n    en:\n      via: "school"\n')
    _edit(translations, "facts:\n", 'facts:\n  no_such_fact:\n    en: "text"\n')
    problems = _problems(content_dir)
    refused = (
        "translations.yml: services.clb_chat.en.via: not a text of a field the Dutch entry has"
    )
    assert refused in problems
    assert "translations.yml: facts.no_such_fact: no such fact" in problems
