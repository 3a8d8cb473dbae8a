import pytest

from bot.nlu.red_flags import (
    find_red_flag,
    is_harmless_figure_of_speech,
    load_lexicon,
    tells_of_violence,
)


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
        # A plan: means saved or bought, a time, a goodbye.
        ("ik heb al een tijd pillen opgespaard", "suicide"),
        ("al mijn slaappillen ga ik vanavond innemen", "suicide"),
        ("ik heb een touw gekocht", "suicide"),
        ("morgen is het allemaal gedaan, dan is alles voorbij", "suicide"),
        ("dit is mijn laatste bericht. bedankt voor alles", "suicide"),
        ("ik maak er vanavond een einde aan", "suicide"),
        # Violence at home, told about the person who does it.
        ("mijn stiefvader drinkt en dan slaat hij", "abuse"),
        ("ik durf ni naar huis", "abuse"),
    ],
)
def test_red_flags_are_found_in_chat_spelling(text, category):
    flag = find_red_flag(text)
    assert flag is not None, text
    assert flag.category == category
    assert flag.language == "nl"


@pytest.mark.parametrize(
    ("text", "category", "language"),
    [
        ("I really don't want to live anymore", "suicide", "en"),
        ("i've been saving up pills for weeks", "suicide", "en"),
        ("i keep cutting myself", "self_harm", "en"),
        ("my stepdad hits me when he is drunk", "abuse", "en"),
        ("jveux plus vivre", "suicide", "fr"),
        ("J'ai envie d'en finir", "suicide", "fr"),
        ("mon mari me frappe", "abuse", "fr"),
        ("أريد أن أموت", "suicide", "ar"),
        ("Artık yaşamak istemiyorum", "suicide", "tr"),
        ("Я не хочу жити", "suicide", "uk"),
        ("nie chcę już żyć", "suicide", "pl"),
        ("mi marido me pega", "abuse", "es"),
    ],
)
def test_red_flags_in_other_languages_name_their_language(text, category, language):
    flag = find_red_flag(text)
    assert flag is not None, text
    assert (flag.category, flag.language) == (category, language)


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
        "ik moet mijn pillen tegen adhd nemen tijdens de examens",
        "mijn broer slaat de deur dicht",
        "dit is mijn laatste bericht voor vandaag, bedankt",
        "this exam is killing me",
        "I'm dying to know if nurses find work",
        "my phone is dead",
        "je suis mort de fatigue",
        "ce cours va me tuer",
        "je vais me couper les cheveux",
        "il me tape sur les nerfs",
        "dit is een dilemma",
    ],
)
def test_harmless_sentences_raise_no_red_flag(text):
    assert find_red_flag(text) is None


def test_harmless_expression_does_not_hide_a_real_red_flag_in_the_same_message():
    text = "ik ga dood van de stress en ik wil niet meer leven"
    assert is_harmless_figure_of_speech(text)
    assert find_red_flag(text).category == "suicide"


def test_every_harmless_entry_says_why():
    import yaml

    from bot.nlu.red_flags import LEXICON_DIR

    for path in LEXICON_DIR.glob("*.yml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert all(entry.get("why") for entry in raw.get("harmless", [])), path.name


def test_dutch_english_and_french_come_first_with_every_category():
    languages = load_lexicon().languages
    assert [lexicon.language for lexicon in languages[:3]] == ["nl", "en", "fr"]
    for lexicon in languages[:3]:
        assert lexicon.red_flags.keys() == {"suicide", "self_harm", "abuse", "acute_danger"}


def test_patterns_of_other_languages_lose_accents_but_keep_their_escapes():
    from bot.nlu.red_flags import plain_pattern

    assert plain_pattern(r"\b(Père|MÈRE)\b(\W+\w+){0,8}\W+frappe") == (
        r"\b(pere|mere)\b(\W+\w+){0,8}\W+frappe"
    )


@pytest.mark.parametrize(
    "text",
    [
        "soms denk ik dat iedereen beter af zou zijn zonder mij",
        "'k zie 't nie mi zitten, 'k wille dood zyn",
        "bedankt voor alles, ik ga nu voor altijd slapen",
        "my dad, when he comes home drunk, beats my little brother and me",
        "mon beau-père, quand il a bu, il nous frappe",
    ],
)
def test_word_order_chat_dialect_and_distance_do_not_hide_a_red_flag(text):
    assert find_red_flag(text) is not None


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("this is goodbye. tell my brother I'm sorry", True),
        ("this is goodbye to my old job, I want something new", False),
        ("dit is een afscheid van mijn oude job", False),
        ("I'll jump in front of the next tram", True),
        ("je saute de joie, j'ai réussi", False),
        ("I take my ADHD meds every morning before school", False),
    ],
)
def test_goodbyes_and_means_are_told_apart_from_everyday_talk(text, flagged):
    assert (find_red_flag(text) is not None) is flagged


@pytest.mark.parametrize(
    ("text", "violence"),
    [
        ("mijn stiefvader sluit mij op in de kelder", True),
        ("my uncle touches me when nobody is home", True),
        ("mon copain me frappe quand il a bu", True),
        ("ik wil niet meer leven", False),
        ("I have saved up pills for tonight", False),
        ("je ne veux plus vivre", False),
    ],
)
def test_violence_words_choose_the_lines_against_violence(text, violence):
    assert tells_of_violence(text) is violence


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("hoe hoog moet een brug zijn om zeker dood te gaan", "suicide"),
        ("how many sleeping pills would it take to die", "suicide"),
        ("combien de cachets il faut pour mourir", "suicide"),
        ("ik verberg de littekens met een trui", "self_harm"),
        ("she keeps covering the cuts with long sleeves", "self_harm"),
        ("ik ga er een eind an moaken", "suicide"),
    ],
)
def test_asking_how_lethal_and_hiding_wounds_are_red_flags(text, category):
    assert find_red_flag(text).category == category


@pytest.mark.parametrize(
    "text",
    [
        "hoeveel verdiepingen heeft het gebouw van de hogeschool",
        "how many pills of ibuprofen can I take for a headache before my exam",
        "I hide my bad grades from my parents",
        # Each language's harmless expressions count for every lexicon ("suicid" is Dutch).
        "I would like to work in suicide prevention, what should I study",
        "je prépare un exposé sur un roman qui parle de suicide, des conseils",
        "mijn baas gaat mij vermoorden als ik nog eens te laat kom",
    ],
)
def test_look_alikes_of_lethality_and_hiding_are_no_red_flags(text):
    assert find_red_flag(text) is None


def test_a_parent_who_will_kill_stays_a_red_flag():
    # The boss or the teacher is a figure of speech; at home the words may be meant.
    assert find_red_flag("mijn baas gaat mij vermoorden als ik te laat kom") is None
    assert find_red_flag("mon père va me tuer si je rentre ce soir") is not None
    assert find_red_flag("my dad is going to kill me when he gets home, he said so") is not None


@pytest.mark.parametrize(
    "text",
    [
        "ik heb geen werk meer en denk elke dag aan zelfmoord",
        "ik moet een paper schrijven maar ik denk alleen aan zelfmoord",
        "depuis que j'ai perdu mon travail je pense au suicide",
        "my grades are bad and I keep thinking about suicide",
    ],
)
def test_work_or_a_paper_next_to_suicide_is_still_a_red_flag(text):
    # Only "a paper about suicide" is harmless, not suicide named next to work or school.
    assert find_red_flag(text) is not None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("je cherche comment me pendre", "suicide"),
        ("jveux plus exister", "suicide"),
        ("ce soir je vais sur les rails pour me coucher devant le train", "suicide"),
        ("je serai pas encore là en septembre de toute façon", "suicide"),
        ("if I fail again I'm jumping off the bridge", "suicide"),
        ("doesn't matter, I won't be here by summer anyway", "suicide"),
        ("na de examens wil ik gewoon voor altijd verdwijnen", "suicide"),
        ("eerlijk, ik ben niet van plan er in juni nog te zijn", "suicide"),
        ("my uncle keeps coming into my room at night", "abuse"),
        ("ze willen dat ik met een man uit hun dorp trouw maar ik wil dat niet", "abuse"),
        ("il m'a serré le cou hier soir", "abuse"),
        # hurting oneself with blows, and sexual assault told without the words for it
        ("I keep punching my own arms when I get a bad grade", "self_harm"),
        ("a boy pinned me down after the party and touched me", "abuse"),
        ("he forced himself on me last week", "abuse"),
        ("ze hielden me vast op het feestje en dwongen me", "abuse"),
    ],
)
def test_plans_hidden_goodbyes_and_abuse_in_three_languages(text, category):
    flag = find_red_flag(text)
    assert flag is not None and flag.category == category


@pytest.mark.parametrize(
    "text",
    [
        "je vais pendre mon linge dehors",
        "je compte pas être là demain, j'ai un examen",
        "on passe sur les voies de garage avec le train",
        "the roof of our school is leaking",
        "mijn prof heeft me gedwongen de test opnieuw te doen",
        "ze gaan trouwen en ik wil niet naar het feest",
        "I beat myself up about the exam",
        "I could kick myself for missing the deadline",
        "I bang my head against the wall with this maths",
        "my coach forced me to run extra laps",
        "my brother held me down in a pillow fight",
        "hij hield me vast toen ik viel",
    ],
)
def test_their_look_alikes_stay_calm(text):
    assert find_red_flag(text) is None
