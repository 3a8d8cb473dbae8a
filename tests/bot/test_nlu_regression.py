"""Regression tests of the trained NLU pipeline: user groups, crisis and key intents."""

from __future__ import annotations

import pytest

from tools.quality import (
    evaluate_crisis,
    evaluate_user_groups,
    load_crisis_cases,
    load_user_group_cases,
)

pytestmark = pytest.mark.model


async def test_user_group_accuracy_on_held_out_messages(nlu_agent):
    report = await evaluate_user_groups(nlu_agent, load_user_group_cases())
    assert report.accuracy >= 0.90, report.errors


async def test_every_held_out_crisis_message_raises_the_alarm(nlu_agent):
    report = await evaluate_crisis(nlu_agent, load_crisis_cases())
    assert report.missed == []


async def test_false_alarms_stay_under_two_percent(nlu_agent):
    report = await evaluate_crisis(nlu_agent, load_crisis_cases())
    assert report.false_alarm_rate <= 0.02, report.false_alarms


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
    assert {"entity": "crisis_signal", "value": "suicide"}.items() <= parsed["entities"][-1].items()


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
