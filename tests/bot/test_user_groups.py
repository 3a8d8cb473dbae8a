import pytest
import yaml

from bot.nlu.component_base import examples_fingerprint
from bot.nlu.user_groups import (
    NO_GROUP,
    USER_GROUPS,
    detect_user_group,
    load_cues,
    read_group_examples,
    speaks_of_self,
    stated_age,
)
from settings import PROJECT_DIR

GROUP_EXAMPLES = PROJECT_DIR / "data" / "user_groups"


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("ik zit in 5de jaar aso", "scholier"),
        ("k zit in bso", "student_beroepsonderwijs"),
        ("ik doe duaal leren", "student_beroepsonderwijs"),
        ("ik zit in het 7de jaar", "student_beroepsonderwijs"),
        ("ik zit op de hogeschool", "student_hoger_onderwijs"),
        ("ik zit op de unief", "student_hoger_onderwijs"),
        ("ik ben gebuisd in 1ste bach", "student_hoger_onderwijs"),
        ("ik zit in het 2de jaar bachelor", "student_hoger_onderwijs"),
        ("ik volg avondschool", "lerende_volwassene"),
        ("ik zit in het cvo", "lerende_volwassene"),
        ("ik werk als lasser", "werkende"),
        ("mijn werkgever wil dat ik bijleer", "werkende"),
        ("ik ben werkloos", "werkzoekende"),
        ("ik ben werkzoekend", "werkzoekende"),
        ("sinds de fabriek dicht is zoek ik werk", "werkzoekende"),
        ("ik ben 19 en heb geen werk en geen diploma", "kwetsbare_jongere"),
        ("ik heb een beperking", "achtergestelde_groep"),
        ("ik kan niet goed lezen", "achtergestelde_groep"),
        ("ik heb een diploma uit syrie", "migratieachtergrond"),
        ("ik ben nieuwkomer", "migratieachtergrond"),
        # a country of origin named in passing, before another group's cue
        (
            "in Marokko gaf ik zes jaar les, nu woon ik in Mechelen en zoek ik werk",
            "migratieachtergrond",
        ),
        ("my papers stayed in Eritrea and I want to study nursing here", "migratieachtergrond"),
        ("nous avons quitté la Syrie, je travaille comme chauffeur", "migratieachtergrond"),
        ("mijn zoon zit in 5de aso", "ouder_of_begeleider"),
        ("ik ben leerkracht en een leerling vraagt raad", "ouder_of_begeleider"),
        ("ik ben thuisblijfmoeder", "andere_volwassene"),
    ],
)
def test_group_from_own_words(text, group):
    detected = detect_user_group(text)
    assert detected is not None, text
    assert detected.group == group


def test_correction_is_a_new_group():
    assert detect_user_group("nee, ik werk al").group == "werkende"
    assert detect_user_group("ik ben geen student meer, ik werk").group == "werkende"


def test_negated_cue_does_not_count():
    assert detect_user_group("ik ben niet werkloos") is None


def test_nothing_about_the_person_gives_no_group():
    assert detect_user_group("is lasser een knelpuntberoep") is None
    assert detect_user_group("") is None


def test_stated_age_is_not_a_school_year_or_a_duration():
    assert stated_age("ik ben 19") == 19
    assert stated_age("ik ben 17 jaar") == 17
    assert stated_age("ik zit in het 5de jaar") is None
    assert stated_age("ik werk al 15 jaar als kok") is None


def test_age_alone_does_not_make_a_vulnerable_young_person():
    assert detect_user_group("ik ben 19 en zit in 6de aso").group == "scholier"


def test_cue_file_only_names_known_groups():
    assert {group for group, _ in load_cues().groups} <= set(USER_GROUPS)
    assert len(USER_GROUPS) == 11


def test_looking_for_work_is_not_working():
    # "vind ik werk" has "ik werk" in it, but the verb comes before the subject.
    assert detect_user_group("hoe vind ik werk") is None
    assert detect_user_group("waar vind ik werk als kok") is None


def test_group_examples_cover_every_group_in_each_language():
    texts, labels = read_group_examples(GROUP_EXAMPLES)
    assert len(texts) == len(labels)
    assert set(labels) == set(USER_GROUPS) | {NO_GROUP}
    groups_of: dict[str, set[str]] = {}
    for path in GROUP_EXAMPLES.glob("*.yml"):
        examples = yaml.safe_load(path.read_text(encoding="utf-8"))
        groups_of.setdefault(examples["language"], set()).update(examples["groups"])
    assert groups_of == dict.fromkeys(("nl", "en", "fr"), set(USER_GROUPS) | {NO_GROUP})


def test_an_unknown_group_in_the_examples_is_refused(tmp_path):
    (tmp_path / "nl.yml").write_text("language: nl\ngroups:\n  studentje: [hallo]\n")
    with pytest.raises(ValueError, match="studentje"):
        read_group_examples(tmp_path)


def test_changed_examples_change_the_fingerprint(tmp_path):
    path = tmp_path / "nl.yml"
    path.write_text("language: nl\ngroups:\n  scholier: [ik zit in het vijfde]\n")
    before = examples_fingerprint(tmp_path)
    path.write_text("language: nl\ngroups:\n  scholier: [ik zit in het zesde]\n")
    assert examples_fingerprint(tmp_path) != before


def test_rasa_retrains_the_group_model_when_its_examples_change():
    from bot.nlu.user_group_components import UserGroupClassifier

    digest = UserGroupClassifier.fingerprint_addon({"examples": str(GROUP_EXAMPLES)})
    assert digest == examples_fingerprint(GROUP_EXAMPLES)
    # A node Rasa restores from its cache has another config and no examples to read.
    assert UserGroupClassifier.fingerprint_addon({"output": "cached"}) is None


@pytest.mark.parametrize(
    ("text", "french", "personal"),
    [
        ("ik stempel al een paar maanden", False, True),
        ("kben 17 en twijfel", False, True),
        ("zoek werk als heftruckchauffeur", False, True),
        ("16 jaar, wil stoppen met school", False, True),
        ("been looking for a job since May", False, True),
        ("je suis en 5e secondaire", True, True),
        ("on doit choisir une option en classe", True, True),
        ("wat is een graduaat eigenlijk", False, False),
        ("duaal leren, hoe werkt dat", False, False),
        ("mag je werken met een handicap", False, False),  # Dutch "je" is "one"
        ("how does the integration course work", False, False),
        ("c'est quoi le leerkrediet", True, False),
    ],
)
def test_a_message_speaks_of_its_writer_or_of_a_topic(text, french, personal):
    """Only a message about its writer can tell their group: in an impersonal question the
    cue word ("graduaat", "handicap") is the topic."""
    assert speaks_of_self(text, french) is personal


def test_an_impersonal_question_sets_no_group_through_the_pipeline():
    """The detector would find a cue in the topic word; the gate keeps it from the person."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.user_group_components import UserGroupDetector

    detector = UserGroupDetector.create({}, None, None, None)
    asked = Message(data={"text": "wat is een bachelor precies"})
    told = Message(data={"text": "ik zit in mijn eerste bachelor"})
    detector.process([asked, told])
    assert detect_user_group("wat is een bachelor precies") is not None  # a cue is there
    assert not [e for e in asked.get("entities", []) if e["entity"] == "user_group"]
    assert [e["value"] for e in told.get("entities", []) if e["entity"] == "user_group"] == [
        "student_hoger_onderwijs"
    ]
