"""Whole conversations over the REST channel with the real Rasa and action servers."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.e2e

CRISIS_NUMBERS = ("112", "1813", "102", "106", "1712")


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons", [])]


def test_anonymous_welcome_with_buttons(assistant):
    replies = assistant.say("hallo")
    assert "anoniem" in texts(replies)
    assert "/ask_human" in payloads(replies)


def test_pupil_is_answered_first_then_offered_a_more_specific_answer_once(assistant):
    replies = assistant.say("ik weet niet wat ik moet gaan studeren")
    assert "onderwijskiezer" in texts(replies)  # the general answer comes at once
    assert '/inform_user_group{"user_group": "scholier"}' in payloads(replies)
    assert "/decline_user_group" in payloads(replies)

    replies = assistant.say("ik zit in het 6de jaar aso")
    assert "onderwijskiezer.be" in texts(replies)
    assert assistant.slot("user_group") == "scholier"

    replies = assistant.say("welke opleidingen zijn er aan de hogeschool")
    assert "/inform_user_group" not in " ".join(payloads(replies))


def test_group_stated_in_the_question_is_not_asked_again(assistant):
    replies = assistant.say("ik ben werkloos sinds de fabriek dicht is en zoek werk")
    assert assistant.slot("user_group") == "werkzoekende"
    assert "Schrijf je in bij VDAB" in texts(replies)


def test_person_can_correct_their_group(assistant):
    assistant.say("ik zit in bso")
    assert assistant.slot("user_group") == "student_beroepsonderwijs"
    assistant.say("nee, ik werk al")
    assert assistant.slot("user_group") == "werkende"


def test_same_question_differs_by_group(stack):
    from tests.e2e.conftest import Assistant

    jobseeker = Assistant(stack=stack, sender="e2e-jobseeker")
    newcomer = Assistant(stack=stack, sender="e2e-newcomer")
    jobseeker.say("ik ben werkzoekend")
    newcomer.say("ik ben nieuw in belgië")
    answer_jobseeker = texts(jobseeker.say("hoe vind ik werk"))
    answer_newcomer = texts(newcomer.say("hoe vind ik werk"))
    assert answer_jobseeker != answer_newcomer
    assert "NARIC" in answer_newcomer


def test_a_guessed_group_fills_an_empty_slot_and_never_replaces_a_stated_one(stack):
    from tests.e2e.conftest import Assistant

    implied = "ik sta al tien jaar aan de kassa en wil iets anders"  # no cue: the model guesses
    fresh = Assistant(stack=stack, sender="e2e-guess-fresh")
    fresh.say(implied)
    assert fresh.slot("user_group") == "werkende"

    pupil = Assistant(stack=stack, sender="e2e-guess-pupil")
    pupil.say("ik zit in het vijfde middelbaar")
    pupil.say(implied)
    assert pupil.slot("user_group") == "scholier"
    pupil.say("nee, ik ben werkloos")  # a stated group still corrects it
    assert pupil.slot("user_group") == "werkzoekende"


def test_the_answer_comes_before_the_group_and_declining_keeps_it(assistant):
    replies = assistant.say("ik wil loopbaanbegeleiding")
    assert "VDAB" in texts(replies)  # answered at once, before any question back
    assert "/decline_user_group" in payloads(replies)
    replies = assistant.say("zeg ik liever niet")
    assert "Vraag gerust verder" in texts(replies)
    assert assistant.slot("user_group") is None


def test_crisis_lines_come_first_and_conversation_is_marked_urgent(assistant):
    assistant.say("ik wil iets vragen over mijn studie")
    replies = assistant.say("ik wil niet meer leven")
    first = replies[0]["text"]
    for number in CRISIS_NUMBERS:
        assert number in first
    assert assistant.slot("crisis") is True
    assert assistant.slot("handoff_priority") == "crisis"


def test_hyperbole_gets_no_crisis_reply(assistant):
    replies = assistant.say("ik ga dood van de stress van de examens")
    assert "1813" not in texts(replies)
    assert assistant.slot("crisis") is False


def test_occupation_asked_when_missing_then_answered(assistant):
    replies = assistant.say("ik wil info over een beroep")
    assert "Over welk beroep" in texts(replies)
    replies = assistant.say("dakwerker")
    assert "dakwerker" in texts(replies).lower()


def test_wage_question_gives_no_invented_figures(assistant):
    replies = assistant.say("hoeveel verdient een lasser")
    answer = texts(replies)
    assert "Arvastat" in answer
    assert "€" not in answer and "euro" not in answer


def test_two_misses_in_a_row_hand_over_to_a_human(assistant):
    assistant.say("xqzt vlorp")
    replies = assistant.say("blarg wumpf")
    assert "in de wachtrij" in texts(replies)
    assert "/leave_queue" in payloads(replies)
    assert assistant.slot("handoff_priority") == "normal"
    assert assistant.slot("handoff_status") == "queued"


def test_tracker_api_needs_the_token(assistant):
    assistant.say("hallo")
    response = requests.get(f"{assistant.url}/conversations/{assistant.sender}/tracker", timeout=10)
    assert response.status_code == 401
