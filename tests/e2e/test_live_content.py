"""A content edit changes what the running assistant answers: no retraining, no restart."""

from __future__ import annotations

import shutil

import pytest

from knowledge.build import build_store
from knowledge.content import CONTENT_DIR
from tests.e2e.test_rest_conversations import texts

pytestmark = pytest.mark.e2e

KUNSTSCHILDER = "http://data.europa.eu/esco/occupation/374d925a-107b-4c99-bc8b-75483441f062"


def test_reviewed_override_changes_a_live_answer(stack, assistant, tmp_path):
    question = "is kunstschilder een knelpuntberoep"
    assert "staat niet op de lijst" in texts(assistant.say(question))

    edited = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, edited)
    with open(edited / "vdab_esco_overrides.csv", "a", encoding="utf-8") as overrides:
        overrides.write(f"Schilder-decorateur,{KUNSTSCHILDER},test: a content editor's mapping\n")
    url = stack.settings.knowledge_url
    try:
        assert not build_store(url, content_dir=edited).skipped
        answer = texts(assistant.say(question))
        assert "Schilder-decorateur staat op de lijst van knelpuntberoepen 2026" in answer
    finally:
        build_store(url, force=True)
    assert "staat niet op de lijst" in texts(assistant.say(question))
