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


@pytest.mark.parametrize(
    ("who", "expected_service", "not_for_them"),
    [
        ("ik zit in het vijfde middelbaar", "CLB", "Loopbaancentrum"),
        ("ik werk als bediende", "Loopbaancentrum", "CLB"),
        ("ik ben nieuw in belgie, ik kom uit syrie", "VDAB", "Loopbaancentrum"),
    ],
)
def test_same_need_signposts_a_different_service_per_group(
    assistant, who, expected_service, not_for_them
):
    assistant.say(who)
    answer = texts(assistant.say("ik weet niet welk werk bij mij past, wie kan me helpen?"))
    assert expected_service in answer
    assert not_for_them not in answer
    assert "bron:" in answer and "stand " in answer
    assert assistant.slot("signposted")


def test_loopbaancheque_price_is_dated(assistant):
    assistant.say("ik werk als verpleegkundige")
    answer = texts(assistant.say("hoe zit het met loopbaancheques"))
    assert "45 euro" in answer
    assert "stand 09/2024" in answer
