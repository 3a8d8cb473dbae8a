"""Build, search and signposting on SQLite and on PostgreSQL, through one interface."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from knowledge.build import build_store
from knowledge.models import Occupation, ShortageListing
from knowledge.repository import (
    best_services,
    fact,
    occupation_info,
    shortage_listing,
    shortages_in_sector,
)
from knowledge.search import find_occupations, is_ambiguous


def test_store_holds_the_shipped_data(session):
    assert session.scalar(select(func.count()).select_from(Occupation)) == 3039
    assert session.scalar(select(func.count()).select_from(ShortageListing)) == 227


def test_build_is_idempotent(store_url):
    assert build_store(store_url).skipped


@pytest.mark.parametrize(
    ("typed", "expected_shortage_title"),
    [
        ("lasser", "Manueel lasser"),
        ("kinesist", "Kinesitherapeut"),
        ("verpleegster", "Verpleegkundige"),
        ("lassers", "Manueel lasser"),
        ("elektriecien", "Elektrotechnisch installateur"),
        ("programeur", "Software ontwikkelaar"),
    ],
)
def test_typed_occupation_finds_the_shortage_listing(session, typed, expected_shortage_title):
    best = find_occupations(session, typed)[0]
    assert best.shortage_id is not None, best
    assert shortage_listing(session, best.shortage_id).title == expected_shortage_title


def test_unmatched_vdab_title_is_still_found_by_its_title(session):
    best = find_occupations(session, "Calculator bouw")[0]
    assert best.occupation_id is None
    assert shortage_listing(session, best.shortage_id).sector == "Bouwberoepen"


def test_exact_beats_fuzzy_and_typos_are_less_certain(session):
    exact = find_occupations(session, "kok")[0]
    typo = find_occupations(session, "boekhouer")[0]
    assert exact.confidence == 1.0 and exact.method == "exact"
    assert typo.method == "fuzzy" and typo.confidence < 0.95


def test_close_candidates_ask_which_one(session):
    painters = find_occupations(session, "schilders")
    assert is_ambiguous(painters)
    assert {m.display_name for m in painters[:2]} == {"kunstschilder", "schilder bouw"}
    assert not is_ambiguous(find_occupations(session, "verpleegkundige"))
    assert not is_ambiguous(find_occupations(session, "elektriecien"))


@pytest.mark.parametrize("hostile", ["'; DROP TABLE occupations; --", '" OR 1=1', "%_*", "😀", ""])
def test_hostile_text_is_only_a_parameter(session, hostile):
    find_occupations(session, hostile)  # no error, whatever it finds
    assert session.scalar(select(func.count()).select_from(Occupation)) == 3039


def test_occupation_info_is_from_esco_with_related_occupations(session):
    best = find_occupations(session, "lasser")[0]
    info = occupation_info(session, best.occupation_id)
    assert info.description and "las" in info.description.lower()
    assert info.related and info.isco_label
    assert info.shortages[0].citation.publisher == "VDAB"


def test_shortages_by_sector(session):
    horeca = shortages_in_sector(session, "Horecaberoepen")
    assert {s.title for s in horeca} >= {"Kok", "Kelner"}


def test_same_need_gives_different_services_per_group(session):
    pupil = [c.key for c in best_services(session, "scholier", "career_guidance")]
    worker = [c.key for c in best_services(session, "werkende", "career_guidance")]
    newcomer = [c.key for c in best_services(session, "migratieachtergrond", "find_work")]
    assert pupil[0] == "clb"
    assert worker[0] == "loopbaancentrum"
    assert newcomer == ["vdab"]
    assert 1 <= len(best_services(session, None, "career_guidance")) <= 3


def test_service_card_carries_its_dated_facts(session):
    card = best_services(session, "werkende", "career_guidance")[0]
    texts = [text for text, _ in card.facts]
    assert any("twee loopbaancheques" in t for t in texts)
    assert all(citation.as_of == "09/2024" for _, citation in card.facts)
    assert card.citation.cite_as


def test_facts_carry_their_date_and_source(session):
    text, citation = fact(session, "loopbaancheque_prijs")
    assert "45 euro" in text
    assert citation.as_of == "09/2024"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_card_and_its_facts_in_the_persons_language(session, language):
    dutch = best_services(session, "werkende", "career_guidance")[0]
    translated = best_services(session, "werkende", "career_guidance", language=language)[0]
    assert (translated.key, translated.name) == (dutch.key, dutch.name)
    assert translated.what != dutch.what and translated.referral != dutch.referral
    assert [t for t, _ in translated.facts] != [t for t, _ in dutch.facts]
    assert [c for _, c in translated.facts] == [c for _, c in dutch.facts]
    text, _ = fact(session, "loopbaancheque_prijs", language)
    assert "45" in text and text != fact(session, "loopbaancheque_prijs")[0]


def test_a_language_without_translations_gets_the_dutch_texts(session):
    dutch = best_services(session, "scholier", "study_choice")
    assert best_services(session, "scholier", "study_choice", language="other") == dutch
