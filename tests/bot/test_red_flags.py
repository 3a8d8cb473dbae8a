import pytest

from bot.nlu.red_flags import find_red_flag, is_harmless_figure_of_speech, load_lexicon


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("ik wil niet meer leven", "suicide"),
        ("k wil ni meer leven", "suicide"),
        ("ik denk aan zelfmoord", "suicide"),
        ("ik wil er een einde aan maken", "suicide"),
        ("kzie het echt nie meer zitten", "suicide"),
        ("ik wil gewoon dood", "suicide"),
        ("ik snij mezelf soms", "self_harm"),
        ("ik heb mezelf weer gesneden", "self_harm"),
        ("mijn papa slaat me", "abuse"),
        ("ik word thuis geslagen", "abuse"),
        ("er is veel geweld bij ons thuis", "abuse"),
        ("ik ben niet veilig", "acute_danger"),
        ("hij gaat me vermoorden", "acute_danger"),
    ],
)
def test_red_flags_are_found_in_chat_spelling(text, category):
    flag = find_red_flag(text)
    assert flag is not None, text
    assert flag.category == category


@pytest.mark.parametrize(
    "text",
    [
        "ik ga dood van de stress van de examens",
        "ik verveel me dood",
        "ik ben doodmoe",
        "mijn gsm is dood",
        "die richting kiezen is pure zelfmoord",
        "ik wil psycholoog worden om mensen met zelfmoordgedachten te helpen",
        "ik wil lasser worden",
        "ik wil stoppen met school",
    ],
)
def test_harmless_sentences_raise_no_red_flag(text):
    assert find_red_flag(text) is None


def test_harmless_expression_does_not_hide_a_real_red_flag_in_the_same_message():
    text = "ik ga dood van de stress en ik wil niet meer leven"
    assert is_harmless_figure_of_speech(text)
    assert find_red_flag(text).category == "suicide"


def test_every_harmless_entry_says_why(tmp_path):
    import yaml

    from bot.nlu.red_flags import LEXICON_PATH

    raw = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    assert all(entry.get("why") for entry in raw["harmless"])
    assert load_lexicon().red_flags.keys() == {"suicide", "self_harm", "abuse", "acute_danger"}
