"""Domain words that name one question, in Dutch chat spelling, English and French."""

import pytest

from bot.nlu.topic_keywords import load_keywords, named_questions


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("wa betekent nen B attest", "school_attest"),
        ("kheb bijna geen leerkrediet meer", "learning_credit"),
        ("recht op outplacement na mijn ontslag?", "outplacement"),
        ("hoeveel uur mag ik werken als jobstudent", "student_job"),
        ("hoe werkt de examencommissie", "secondary_diploma_adult"),
        ("can I get a study grant", "study_grant"),
        ("où trouver un cours de néerlandais", "learn_dutch"),
        ("is lasser een knelpuntberoep", "occupation_prospects"),
    ],
)
def test_domain_words_name_their_question(text, intent):
    assert intent in named_questions(text)


@pytest.mark.parametrize(
    "text",
    ["ik wil verder studeren", "waar vind ik werk", "ik zit in 5de aso", "I need a job"],
)
def test_everyday_questions_name_nothing(text):
    assert named_questions(text) == set()


def test_every_keyword_intent_is_a_question_the_assistant_answers():
    import yaml

    from settings import PROJECT_DIR

    intents = set()
    for path in (PROJECT_DIR / "bot" / "domain").glob("*.yml"):
        intents |= set(yaml.safe_load(path.read_text(encoding="utf-8")).get("intents") or [])
    assert set(load_keywords()) <= intents
