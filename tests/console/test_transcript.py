"""What a counsellor reads of the person's buttons: words, never intent names or slot values."""

from __future__ import annotations

import pytest

from channels.console.transcript import button_label, transcript


@pytest.mark.parametrize(
    ("payload", "shown"),
    [
        ("/find_work", "[knop: werk zoeken]"),
        ('/inform_user_group{"user_group": "student_beroepsonderwijs"}',
         "[knop: ik ben: leerling/student beroepsopleiding of duaal]"),
        ('/rate_conversation{"rating": "4"}', "[knop: score: 4 van 5]"),
        ('/choose_language{"language": "en"}', "[knop: taal: Engels]"),
        ("/ask_human", "[knop: vraagt een mens]"),
        ("/leave_queue", "[knop: verder met de bot]"),
        ("/some_new_intent", "[knop: een knop]"),
        ("/inform_user_group{not json", "[knop: ik ben: groep onbekend]"),
    ],
)  # fmt: skip
def test_buttons_are_shown_in_words(payload, shown):
    assert button_label(payload) == shown
    assert "_" not in shown


def test_the_transcript_shows_a_button_in_words():
    tracker = {"events": [{"event": "user", "text": "/occupation_prospects", "timestamp": 1}]}
    assert transcript(tracker)[0]["text"] == "[knop: kansen op werk in een beroep]"
