"""Build the blank Dutch spaCy pipeline that Rasa's SpacyNLP loads.

No trained Dutch model can be installed here, so the pipeline is spaCy's blank ``nl``
tokenizer, the lookup lemmatizer from spacy-lookups-data and an entity ruler whose
``occupation`` patterns come from the knowledge store (ESCO labels and synonyms, VDAB
shortage titles and reviewed aliases).
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import database
from knowledge.occupation_names import occupation_names
from settings import load_settings

OCCUPATION_LABEL = "occupation"


def build_pipeline(store_url: str | None = None) -> Language:
    """Return the Dutch pipeline with lemmatizer and occupation entity ruler."""
    url = store_url or load_settings().knowledge_url
    with database.opened(url) as engine, database.session_factory(engine)() as session:
        names = occupation_names(session)
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma lookup table from spacy-lookups-data
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LEMMA"})
    patterns = [
        {"label": OCCUPATION_LABEL, "pattern": name.text.lower(), "id": name.canonical}
        for name in names
    ]
    ruler.add_patterns(patterns)
    return nlp


def save_pipeline(out_dir: Path, store_url: str | None = None) -> int:
    """Build the pipeline, save it to ``out_dir`` and return the number of patterns."""
    nlp = build_pipeline(store_url)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return len(nlp.get_pipe("entity_ruler"))
