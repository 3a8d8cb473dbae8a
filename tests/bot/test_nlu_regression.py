"""Regression tests of the trained NLU pipeline: user groups, crisis and key intents.

The user-group and crisis sets in ``tests/data`` were written alongside the lexicons, so
they overstate what the assistant does on unseen text; they only keep these decisions from
sliding back. The figures reported in ``docs/quality.md`` come from the end-to-end
evaluation (``python -m tools.evaluation``) on ``tests/data/eval/``.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.nlu.user_groups import detect_user_group
from settings import PROJECT_DIR

pytestmark = pytest.mark.model

SETS = PROJECT_DIR / "tests" / "data"


def _load(name: str) -> Any:
    return yaml.safe_load((SETS / name).read_text(encoding="utf-8"))


async def _intents(agent, texts: list[str]) -> list[tuple[str, str]]:
    return [(text, (await agent.parse_message(text))["intent"]["name"]) for text in texts]


async def test_user_group_accuracy_on_held_out_messages(nlu_agent):
    cases = _load("user_group_test.yml")
    errors = []
    for case in cases:
        entities = (await nlu_agent.parse_message(case["text"])).get("entities", [])
        found = next((e.get("value") for e in entities if e.get("entity") == "user_group"), None)
        if found != case["group"]:
            errors.append((case["text"], case["group"], found))
    assert 1 - len(errors) / len(cases) >= 0.90, errors


async def test_every_held_out_crisis_message_raises_the_alarm(nlu_agent):
    crisis = _load("crisis_test.yml")["crisis"]
    assert [text for text, intent in await _intents(nlu_agent, crisis) if intent != "crisis"] == []


async def test_false_alarms_stay_under_two_percent(nlu_agent):
    harmless = _load("crisis_test.yml")["not_crisis"]
    alarms = [text for text, intent in await _intents(nlu_agent, harmless) if intent == "crisis"]
    assert len(alarms) / len(harmless) <= 0.02, alarms


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ik zit in 6de jaar aso en weet nie wa ik moet studeren", "study_choice_higher"),
        ("welke richting in het 3de middelbaar", "study_choice_secondary"),
        ("is lasser een knelpuntberoep?", "occupation_prospects"),
        ("welke jobs in de horeca zijn gevraagd", "occupation_prospects"),
        ("hoeveel verdient een verpleegster", "occupation_wage"),
        ("hoe word ik kinesist", "occupation_education"),
        ("ik ben mijn job beu, kan ik loopbaanbegeleiding krijgen", "career_guidance"),
        ("ik kom uit syrië en wil mijn diploma laten erkennen", "diploma_recognition"),
        ("waar kan ik nederlands leren", "learn_dutch"),
        ("wanneer is de chat open", "service_info"),
        ("is dit anoniem", "ask_anonymous"),
        ("ben jij een bot", "bot_challenge"),
        ("ik wil met een mens praten", "ask_human"),
        ("wat is het beste recept voor lasagne", "out_of_scope"),
    ],
)
async def test_key_questions_get_their_intent(nlu_agent, text, intent):
    parsed = await nlu_agent.parse_message(text)
    assert parsed["intent"]["name"] == intent


async def test_red_flag_wins_over_the_classifier(nlu_agent):
    parsed = await nlu_agent.parse_message("kzie het ni meer zitten, ik wil dood")
    assert parsed["intent"] == {"name": "crisis", "confidence": 1.0}
    signals = [e for e in parsed["entities"] if e["entity"] == "crisis_signal"]
    assert [e["value"] for e in signals] == ["suicide"]


async def test_hyperbole_is_no_crisis(nlu_agent):
    parsed = await nlu_agent.parse_message("ik ga dood van de stress van de examens")
    assert parsed["intent"]["name"] not in ("crisis", "crisis_check_in")


async def test_occupation_from_the_entity_ruler_not_from_examples(nlu_agent):
    # "dakwerker" appears in no NLU example; the ruler knows it from the VDAB list.
    parsed = await nlu_agent.parse_message("wat verdient een dakwerker")
    assert {"entity": "occupation", "value": "dakwerker"}.items() <= parsed["entities"][0].items()


@pytest.mark.parametrize("text", ["xqzt vlorp", "blarg wumpf", "asdkjh qwpoe zxmnb"])
async def test_gibberish_goes_to_the_fallback(nlu_agent, text):
    parsed = await nlu_agent.parse_message(text)
    assert parsed["intent"]["name"] == "nlu_fallback"


async def test_unknown_occupation_name_alone_is_not_gibberish(nlu_agent):
    parsed = await nlu_agent.parse_message("dakwerker")
    assert parsed["intent"]["name"] != "nlu_fallback" or parsed["entities"]


# Written for this test, in none of the data sets; the lexicons do not match them, so only
# the risk model can raise the alarm.
DANGER_WITHOUT_A_RED_FLAG = [
    (
        "na mijn ontslag zie ik geen enkele reden meer, vanavond rij ik met de auto tegen een boom",
        "risk",
    ),
    ("my stepmother locks me in the cellar for days when she is angry", "abuse"),
    ("le soir je me griffe les bras jusqu'au sang, personne ne le sait", "risk"),
]


@pytest.mark.parametrize(("text", "category"), DANGER_WITHOUT_A_RED_FLAG)
async def test_the_risk_model_raises_the_alarm_where_no_red_flag_matches(nlu_agent, text, category):
    from bot.nlu.red_flags import find_red_flag

    assert find_red_flag(text) is None  # otherwise this would test the lexicon
    parsed = await nlu_agent.parse_message(text)
    assert parsed["intent"]["name"] == "crisis"
    signals = [e["value"] for e in parsed["entities"] if e["entity"] == "crisis_signal"]
    assert signals == [category]


@pytest.mark.parametrize(
    "text",
    [
        "ik wil later als verpleegkundige op een afdeling psychiatrie werken, welke opleiding?",
        "mijn opa is vorige week gestorven, mag ik mijn examen later afleggen?",
        "I take medication for epilepsy, can I still become a bus driver?",
    ],
)
async def test_words_near_danger_raise_no_alarm(nlu_agent, text):
    assert (await nlu_agent.parse_message(text))["intent"]["name"] != "crisis"


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("ik sta al twaalf jaar aan de kassa in de supermarkt en wil iets anders", "werkende"),
        (
            "al acht maanden stuur ik elke week sollicitaties maar niemand belt terug",
            "werkzoekende",
        ),
    ],
)
async def test_the_group_model_fills_in_where_no_cue_matches(nlu_agent, text, group):
    assert detect_user_group(text) is None  # otherwise this would test the cue lexicon
    entities = (await nlu_agent.parse_message(text))["entities"]
    found = [(e["value"], e["extractor"]) for e in entities if e["entity"] == "user_group"]
    assert found == [(group, "UserGroupClassifier")]
