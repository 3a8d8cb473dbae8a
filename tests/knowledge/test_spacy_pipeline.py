"""The blank Dutch pipeline recognises occupations from the shipped data."""

from __future__ import annotations

import pytest

import database
from knowledge.build import build_store
from knowledge.occupation_names import occupation_names
from knowledge.spacy_pipeline import OCCUPATION_LABEL, build_pipeline


@pytest.fixture(scope="module")
def store_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('ruler') / 'knowledge.db'}"
    build_store(url)
    return url


@pytest.fixture(scope="module")
def names(store_url):
    with database.opened(store_url) as engine, database.session_factory(engine)() as session:
        return occupation_names(session)


@pytest.fixture(scope="module")
def nlp(store_url):
    return build_pipeline(store_url)


def test_thousands_of_names_from_the_store(names):
    texts = {n.text.lower() for n in names}
    assert len(names) > 15_000
    assert "manueel lasser" in texts  # VDAB shortage title
    assert "inspiciënt" in texts  # ESCO preferred label
    assert "toneelmeester" in texts  # ESCO synonym


def test_ambiguous_words_are_not_occupations(names):
    texts = {n.text.lower() for n in names}
    assert "model" not in texts
    assert "agent" not in texts


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("is lasser een knelpuntberoep", "Manueel lasser"),
        ("ik wil verpleegster worden", "Verpleegkundige"),
        ("werken als software ontwikkelaar", "Software ontwikkelaar"),
        ("zijn er veel jobs voor metselaars", "Metselaar"),
        ("wat doet een toneelmeester", "inspiciënt"),
    ],
)
def test_occupations_found_in_free_text(nlp, text, canonical):
    doc = nlp(text.lower())
    found = [(e.label_, e.ent_id_) for e in doc.ents]
    assert (OCCUPATION_LABEL, canonical) in found


def test_plain_sentence_has_no_occupation(nlp):
    assert list(nlp("ik wil met een mens praten").ents) == []


def test_saved_pipeline_loads_from_a_path(tmp_path, nlp):
    import spacy

    nlp.to_disk(tmp_path / "nl")
    loaded = spacy.load(tmp_path / "nl")
    assert [e.ent_id_ for e in loaded("ik ben kinesist").ents] == ["Kinesitherapeut"]
