import pytest

from channels.limits import EMPTY, MAX_MESSAGE_CHARS, TOO_LONG, clean_text
from privacy.evaluation import score
from privacy.redaction import redact


def test_corpus_meets_the_targets():
    result = score()
    assert result.sentences >= 200
    print(f"precision {result.precision:.3f} recall {result.recall:.3f}")
    assert result.recall >= 0.98, result.mismatches
    assert result.precision >= 0.95, result.mismatches


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
