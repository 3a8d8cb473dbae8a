"""Which language a message is in: Dutch by default, others only on clear evidence."""

import pytest

from bot.nlu.language import LanguageIdentifier


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("kzit in 4de aso en weet ni wa kiezen", "nl"),
        ("graag had ik vernomen of ik recht heb op opleidingsverlof", "nl"),
        ("Where can I learn Dutch in Ghent?", "en"),
        ("i am from eritrea and i want work", "en"),
        ("Bonjour, je cherche une formation d'aide-soignante", "fr"),
        ("j'ai un diplôme du Maroc, il est reconnu ici?", "fr"),
        ("أريد أن أتعلم اللغة الهولندية", "other"),
        ("Шукаю роботу в Бельгії", "other"),
        ("Busco trabajo como enfermera en Bélgica", "other"),
    ],
)
def test_clear_messages_get_their_language(identifier, text, language):
    guess = identifier.identify(text)
    assert guess is not None, text
    assert guess.language == language


@pytest.mark.parametrize("text", ["ok", "hallo", "merci", "VDAB", "leerkrediet?", "oké merci"])
def test_short_or_mixed_messages_switch_nothing(identifier, text):
    assert identifier.identify(text) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [("English please", "en"), ("in het Frans", "fr"), ("Nederlands", "nl"), ("anglais", "en")],
)
def test_typed_requests_choose_a_language(identifier, text, language):
    assert identifier.requested(text) == language
    assert identifier.requested("ik wil Engels leren") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [("Good morning!", "en"), ("thank you", "en"), ("Bonjour !", "fr"), ("merci beaucoup", "fr")],
)
def test_a_greeting_of_one_language_is_clear_evidence(identifier, text, language):
    guess = identifier.identify(text)
    assert guess is not None and guess.language == language


@pytest.mark.parametrize("text", ["hello", "hallo", "merci", "salut", "sorry"])
def test_greetings_flemish_people_use_switch_nothing(identifier, text):
    assert identifier.identify(text) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("je pense au suicide depuis quelques semaines", "fr"),
        ("I have been thinking about suicide for weeks", "en"),
        ("ik denk al weken aan zelfmoord", "nl"),
    ],
)
def test_crisis_lines_come_in_the_language_of_the_message(identifier, text, language):
    """A red flag of the Dutch lexicon ("suicid") in a French message: the crisis guard's
    language gives way to the message's own clear language."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.crisis_components import CrisisGuard
    from bot.nlu.language_components import LanguageGuard

    message = Message(data={"text": text})
    CrisisGuard(alarm_above=1.0).process_message(message)
    assert message.get("intent")["name"] == "crisis"
    LanguageGuard(identifier).process_message(message)
    languages = [e["value"] for e in message.get("entities") if e["entity"] == "language"]
    assert languages == [language]


@pytest.mark.parametrize(
    ("text", "scores", "language"),
    [
        # the rules find nothing clear; the model of the assistant's own examples is sure
        ("NT2 lessons Ghent evening", {"en": 0.85, "nl": 0.1, "fr": 0.05}, "en"),
        ("NT2 lessons Ghent evening", {"en": 0.7, "nl": 0.2, "fr": 0.1}, None),  # not sure
        ("NT2 lessons Ghent evening", {"other": 0.95, "nl": 0.05}, None),  # never "other"
        ("bye bye hé", {"en": 0.99, "nl": 0.01}, None),  # fewer than three different words
        ("ik zoek werk in Gent als kok", {"fr": 0.99, "nl": 0.01}, "nl"),  # the rules win
    ],
)
def test_the_model_decides_only_where_the_rules_are_unsure(identifier, text, scores, language):
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.component_base import LANGUAGE_SCORES
    from bot.nlu.language_components import LanguageGuard

    message = Message(data={"text": text})
    message.set(LANGUAGE_SCORES, scores)
    LanguageGuard(identifier, model_above=0.8).process_message(message)
    languages = [e["value"] for e in message.get("entities", []) if e["entity"] == "language"]
    assert languages == ([language] if language else [])


def test_language_examples_are_labelled_by_folder_and_by_file():
    from bot.nlu.language import read_language_examples
    from settings import PROJECT_DIR

    texts, labels = read_language_examples(
        PROJECT_DIR / "data" / "nlu", [PROJECT_DIR / "data" / "risk"]
    )
    by_text = dict(zip(texts, labels, strict=True))
    assert {"nl", "en", "fr", "other"} <= set(labels)
    assert all(isinstance(text, str) and text for text in texts)
    # data/risk/es.yml says "language: es": a language the assistant does not speak
    assert by_text["Quiero morirme, no puedo más."] == "other"
    assert labels.count("en") > 1000 and labels.count("fr") > 1000
