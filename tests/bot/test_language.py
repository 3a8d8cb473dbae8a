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
