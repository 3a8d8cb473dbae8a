from bot.nlu.chat_text import normalise


def test_chat_spelling_is_undone():
    assert normalise("K wil NI meer!!") == "ik wil niet meer"
    assert normalise("kzie het nie meer zitten") == "ik zie het niet meer zitten"
    assert normalise("m'n papa slaat me") == "mijn papa slaat mij"


def test_accents_and_repeated_letters():
    assert normalise("Syrië") == "syrie"
    assert normalise("doooood") == "dood"


def test_empty_and_emoji_only_text():
    assert normalise("") == ""
    assert normalise("🙂🙂") == ""
