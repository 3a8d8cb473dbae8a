"""Broken content is refused with a message naming the file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

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


def _line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def test_shipped_content_is_valid():
    content = load_content()
    assert len(content.services) >= 15
    assert {e.data["key"] for e in content.crisis_lines} >= {"zelfmoordlijn", "awel", "lijn_1712"}


def test_service_without_source_names_file_and_line(content_dir):
    services = content_dir / "services.yml"
    line = _line_of(services, "- key: vdab")
    _edit(
        services,
        "  source: loopbaanbegeleiding_vlaanderen_2024\n  as_of: 2024-09-01\n- key: mijn",
        "  as_of: 2024-09-01\n- key: mijn",
    )
    with pytest.raises(ContentError) as error:
        load_content(content_dir)
    assert f"services.yml:{line}: vdab has no source" in error.value.problems


def test_fact_without_date(content_dir):
    facts = content_dir / "facts.yml"
    _edit(facts, "  as_of: 2024-01-01\n", "")
    with pytest.raises(ContentError) as error:
        load_content(content_dir)
    assert any("facts.yml:" in p and "has no as_of" in p for p in error.value.problems)


def test_unknown_user_group_points_at_its_field(content_dir):
    services = content_dir / "services.yml"
    _edit(services, "user_groups: [migratieachtergrond]", "user_groups: [marsbewoner]")
    line = _line_of(services, "user_groups: [marsbewoner]")
    with pytest.raises(ContentError) as error:
        load_content(content_dir)
    assert f"services.yml:{line}: unknown user group 'marsbewoner'" in error.value.problems


def test_broken_source_reference(content_dir):
    crisis = content_dir / "crisis_lines.yml"
    _edit(crisis, "source: crisislijnen_belgie_2026", "source: bestaat_niet")
    with pytest.raises(ContentError) as error:
        load_content(content_dir)
    assert any(
        "crisis_lines.yml:" in p and "unknown source 'bestaat_niet'" in p
        for p in error.value.problems
    )


def test_unknown_fact_on_a_service_is_refused(content_dir):
    services = content_dir / "services.yml"
    _edit(services, "facts: [loopbaancheques_recht,", "facts: [gratis_geld,")
    line = _line_of(services, "facts: [gratis_geld,")
    with pytest.raises(ContentError) as error:
        load_content(content_dir)
    assert f"services.yml:{line}: unknown fact 'gratis_geld'" in error.value.problems


def test_source_without_short_citation(content_dir):
    sources = content_dir / "sources.yml"
    _edit(sources, '  cite_as: "CLB Ch@t"\n', "")
    with pytest.raises(ContentError) as error:
        load_content(content_dir)
    assert any("sources.yml:" in p and "has no cite_as" in p for p in error.value.problems)


def test_invalid_yaml_is_reported_not_raised_raw(content_dir):
    (content_dir / "facts.yml").write_text("- key: x\n  text: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_content(content_dir)
    assert error.value.problems[0].startswith("facts.yml:")


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
    with pytest.raises(ContentError) as error:
        load_content(content_dir)
    refused = (
        "translations.yml: services.clb_chat.en.via: not a text of a field the Dutch entry has"
    )
    assert refused in error.value.problems
    assert "translations.yml: facts.no_such_fact: no such fact" in error.value.problems
