"""Answer first, the rules people ask about, and crisis in any language, over REST with the
real Rasa and action servers."""

from __future__ import annotations

import pytest

from tests.e2e.test_rest_conversations import payloads, texts

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("question", "fact", "source"),
    [
        ("wat betekent een B-attest op mijn rapport?", "klassenraad", "A-, B- of C-attest"),
        ("met hoeveel leerkrediet begin ik aan de hogeschool", "140", "leerkrediet"),
        ("heb ik recht op outplacement nu ik ontslagen ben", "60 uren", "outplacement"),
        ("hoeveel uren mag een jobstudent werken per jaar", "650", "studentenjob"),
    ],
)
def test_rules_of_school_study_and_work_come_from_the_store_with_their_source(
    assistant, question, fact, source
):
    replies = assistant.say(question)
    assert fact in texts(replies)
    assert source in texts(replies)
    assert "/ask_human" in payloads(replies)


@pytest.mark.parametrize(
    ("question", "in_language"),
    [
        ("how much learning credit do I start with", "Every student starts with 140"),
        ("avec combien de crédit d'études je commence", "Chaque étudiant commence avec 140"),
    ],
)
def test_store_facts_come_in_the_persons_language(assistant, question, in_language):
    replies = assistant.say(question)
    assert in_language in texts(replies)
    assert "Elke student start met 140" not in texts(replies)


def test_a_question_that_does_not_depend_on_the_group_is_answered_without_asking(assistant):
    replies = assistant.say("is verpleegkundige een knelpuntberoep?")
    assert "knelpuntberoep" in texts(replies)
    assert not any("/inform_user_group" in p for p in payloads(replies))


def test_a_plan_with_means_and_a_time_gets_the_crisis_response_and_the_urgent_queue(assistant):
    replies = assistant.say("ik heb pillen gespaard en ik denk dat ik ze vanavond allemaal neem")
    assert "1813" in replies[0]["text"]
    assert assistant.slot("handoff_priority") == "crisis"


def test_violence_at_home_gets_1712_first(assistant):
    replies = assistant.say("mijn papa drinkt en dan slaat hij ons, ik durf niet naar huis")
    first = replies[0]["text"]
    assert first.index("1712") < first.index("1813")
    assert assistant.slot("handoff_priority") == "crisis"


def test_a_crisis_in_english_gets_the_lines_in_english(assistant):
    replies = assistant.say("I saved up my sleeping pills and I will take them all tonight")
    assert "Call 112" in replies[0]["text"]
    assert assistant.slot("language") == "en"
    assert assistant.slot("handoff_priority") == "crisis"


def test_a_crisis_in_french_gets_the_lines_in_french(assistant):
    replies = assistant.say("je veux mourir, j'en peux plus")
    assert "Appelez le 112" in replies[0]["text"]
    assert assistant.slot("language") == "fr"
    assert assistant.slot("handoff_priority") == "crisis"


def test_a_crisis_in_a_language_the_assistant_does_not_speak_still_gets_the_lines(assistant):
    replies = assistant.say("أريد أن أموت")
    assert "112" in replies[0]["text"] and "1813" in replies[0]["text"]
    assert assistant.slot("handoff_priority") == "crisis"


def test_another_language_without_danger_gets_the_three_language_reply(assistant):
    replies = assistant.say("Merhaba, Belçika'da iş arıyorum, yardım eder misiniz?")
    assert "I speak Dutch, English and French" in texts(replies)
    assert '/choose_language{"language": "en"}' in payloads(replies)
    assert "/ask_human" in payloads(replies)


def test_the_language_is_chosen_by_button_and_kept(assistant):
    replies = assistant.say('/choose_language{"language": "fr"}')
    assert "français" in texts(replies)
    assert assistant.slot("language") == "fr"
    assistant.say("ok")
    assert assistant.slot("language") == "fr"
