"""Occupation, shortage and sector answers from the knowledge store, over REST."""

from __future__ import annotations

import pytest

from tests.e2e.test_rest_conversations import payloads, texts

pytestmark = pytest.mark.e2e


def test_shortage_occupation_with_source(assistant):
    answer = texts(assistant.say("is lasser een knelpuntberoep?"))
    assert "Manueel lasser staat op de lijst van knelpuntberoepen 2026" in answer
    assert "bron: VDAB, knelpuntberoepen 2026" in answer


def test_occupation_that_is_not_a_shortage(assistant):
    answer = texts(assistant.say("is kunstschilder een knelpuntberoep"))
    assert "staat niet op de lijst van knelpuntberoepen 2026" in answer


def test_typo_still_finds_the_occupation(assistant):
    answer = texts(assistant.say("wat doet een elektriecien"))
    assert "monteur elektrische installaties" in answer.lower()
    assert "bron: ESCO" in answer


def test_close_names_get_a_which_one_question(assistant):
    replies = assistant.say("wat doet een schilder")
    assert "Welk beroep bedoel je?" in texts(replies)
    chosen = next(p for p in payloads(replies) if "schilder bouw" in p)
    answer = texts(assistant.say(chosen))
    assert "schilder bouw" in answer.lower()


def test_sector_shortages(assistant):
    answer = texts(assistant.say("welke jobs in de horeca zijn knelpuntberoepen"))
    assert "Horecaberoepen" in answer
    assert "Kok" in answer and "Kelner" in answer


def test_wage_question_about_a_named_occupation_has_no_invented_figures(assistant):
    answer = texts(assistant.say("hoeveel verdient een kinesitherapeut"))
    assert "geen betrouwbare cijfers" in answer
    assert "Arvastat" in answer
    assert "euro" not in answer and "€" not in answer
