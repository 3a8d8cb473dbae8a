import pytest

from channels.limits import EMPTY, MAX_MESSAGE_CHARS, TOO_LONG, clean_text
from privacy.evaluation import CORPUS, CORPUS_2, score
from privacy.redaction import redact


def test_first_corpus_meets_the_targets():
    result = score(CORPUS)
    assert result.sentences >= 200
    assert result.recall >= 0.98, result.mismatches
    assert result.precision >= 0.95, result.mismatches


def test_second_corpus_written_apart_keeps_its_figures():
    """The corpus written apart from the rules: the target is recall 0.98 and precision
    0.97; the rules reach precision 1.000 and recall 0.857 (names are the gap, see
    docs/privacy.md). This keeps them from falling back."""
    result = score(CORPUS_2)
    assert result.sentences >= 300
    assert result.precision >= 0.97, result.mismatches
    assert result.recall >= 0.85, result.mismatches


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bel (0470) 12.34.56 aub", "bel <telefoon> aub"),
        ("gsm 0470\u00ad123456", "gsm <telefoon>"),  # a soft hyphen inside
        ("mijn gsm ０４７０ １２ ３４ ５６", "mijn gsm <telefoon>"),  # full-width digits
        ("mijn nederlands nummer +31 6 2345 6789", "mijn nederlands nummer <telefoon>"),
        ("rrn 85073003328", "rrn <rijksregisternummer>"),
        ("rekening BE68-5390-0754-7034 ok", "rekening <iban> ok"),
        ("mail naar lien punt claes at telenet punt be", "mail naar <email>"),
        ("mijn mail is lien(at)skynet.be", "mijn mail is <email>"),
        ("volg me op insta: lien.claes_08", "volg me op insta: <handle>"),
        ("stuur iets naar @lien_claes", "stuur iets naar <handle>"),
        ("mijn auto 1-ABC-123 staat daar", "mijn auto <nummerplaat> staat daar"),
        ("ik ben geboren op vier juni 2009", "ik ben geboren op <geboortedatum>"),
        ("ik woon op de Markt 5 bus 2", "ik woon op de <adres>"),
        ("ons adres: Oude Baan 7", "ons adres: <adres>"),
        ("ik woon in 9940 Evergem-Belzele", "ik woon in <postcode>"),
        ("kzit in 5B in het Sint-Jozefscollege", "kzit in <school>"),
        ("groetjes, Anouk", "groetjes, <naam>"),
        ("'k heet bram", "'k heet <naam>"),
        ("ik ben de Femke", "ik ben de <naam>"),
        ("ik heet Jan van den Broeck", "ik heet <naam>"),
        ("ik heet jan peeters en ik zoek werk", "ik heet <naam> en ik zoek werk"),
        ("mijn naam is Çağla Yılmaz", "mijn naam is <naam>"),
        ("mijn consulent Peter zei dat", "mijn consulent <naam> zei dat"),
        ("bel Jan Peeters op 0470 12 34 56", "bel <naam> op <telefoon>"),  # a counsellor's note
        ("mail Sara El Amrani morgen", "mail <naam> morgen"),
    ],
)
def test_everyday_forms(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "in 2019 ben ik gestopt met school",
        "ik verdien 1850 euro netto",
        "ik zit in het 5de jaar, 32 uur les per week",
        "schooljaar 2025-2026",
        "ik ben werkloos sinds maart",
        "ik ben verpleegkundige",
        "mijn loopbaan 2 jaar onderbroken",
        "ik woon in de Kerkstraat",
        "bel 078 15 15 15 of 0800 30 700",
        "zie www.vdab.be/vacatures",
        "op 3 mei heb ik examen",
        "bel VDAB Gent of Child Focus",
        "bel De Lijn",
    ],
)
def test_everyday_look_alikes_stay(text):
    assert redact(text) == text


def test_red_flags_are_read_before_redaction():
    """A capitalised word after "I'm" reads as a name; with a red flag in the message the
    word-based kinds yield, so the danger stays visible to the crisis check."""
    from bot.nlu.red_flags import find_red_flag
    from channels.limits import incoming_text

    text = "I'm Suicidal, call me 0470 12 34 56"
    assert find_red_flag(text) is not None
    assert find_red_flag(redact(text)) is None  # without the signal the flag would go
    assert incoming_text(text) == "I'm Suicidal, call me <telefoon>"
    # a red flag redaction leaves alone changes nothing: the name still goes
    assert incoming_text("ik heet Jan en ik wil sterven") == "ik heet <naam> en ik wil sterven"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mijn rrn is 85.07.30-033.28", "mijn rrn is <rijksregisternummer>"),
        ("mijn rrn is 85.07.30-033.29", "mijn rrn is 85.07.30-033.29"),  # wrong check digits
        ("BE68 5390 0754 7034", "<iban>"),
        ("BE68 5390 0754 7035", "BE68 5390 0754 7035"),  # wrong checksum
        ("ik heet Emma De Smet", "ik heet <naam>"),
        ("ik heet niet zo", "ik heet niet zo"),
        ("bel 0800 30 700 voor VDAB", "bel 0800 30 700 voor VDAB"),
    ],
)
def test_checksums_and_look_alikes(text, expected):
    assert redact(text) == expected


def test_channel_text_limits():
    assert clean_text("  hallo\u202e\x00 ") == "hallo"
    assert clean_text(" \n\t ") == EMPTY
    assert clean_text("a" * (MAX_MESSAGE_CHARS + 1)) == TOO_LONG
    assert clean_text("a" * MAX_MESSAGE_CHARS) == "a" * MAX_MESSAGE_CHARS


def test_rate_limits_per_conversation_and_per_address():
    from channels.limits import MessageLimits

    limits = MessageLimits(per_conversation=3, per_address=5)
    assert all(limits.allow("a", "10.0.0.1") for _ in range(3))
    assert not limits.allow("a", "10.0.0.1")  # fourth message of one conversation
    assert limits.allow("b", "10.0.0.1") and limits.allow("c", "10.0.0.1")
    assert not limits.allow("d", "10.0.0.1")  # sixth message from one address
    assert limits.allow("e", "10.0.0.2")
    assert all(MessageLimits(0, 0).allow("x", "y") for _ in range(100))  # 0: off


@pytest.mark.parametrize(
    "text",
    ["Ik heb 1813 Gebeld maar niemand nam op", "Kan ik 1712 Bellen?"],
)
def test_helplines_are_never_redacted(text):
    """A helpline in a message is a crisis signal for the red-flag check after redaction."""
    assert redact(text) == text


def test_a_real_postcode_before_a_capital_is_still_redacted():
    assert redact("ik woon in 1800 Vilvoorde") == "ik woon in <postcode>"


def test_every_crisis_line_of_the_store_is_kept():
    from knowledge.content import load_content
    from privacy.redaction import HELPLINES

    phones = {e.data["phone"] for e in load_content().crisis_lines if e.data.get("phone")}
    assert phones and phones <= HELPLINES
