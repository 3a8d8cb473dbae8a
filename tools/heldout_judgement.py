"""What counts as a right answer in the held-out evaluation (``tools/evaluation.py``).

This is the evaluation's own definition, kept apart from the assistant's code: the responses
that answer each topic label of ``tests/data/eval``, what a crisis response, an ask-back and
a fallback look like in the tracker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.nlu.chat_text import plain

CRISIS_LINES = frozenset({"utter_crisis_lines", "utter_crisis_lines_violence"})
HANDOFF = frozenset(
    {
        "utter_handoff_queued",
        "utter_handoff_nobody_online",
        "utter_handoff_closed",
        "utter_handoff_closed_unknown",
        "utter_handoff_unavailable",
    }
)
ASK_BACK = frozenset(
    {"utter_ask_occupation", "utter_did_you_mean", "utter_ask_user_group"}
    | {"utter_occupation_did_you_mean"}
)
FALLBACK = frozenset({"utter_default", "utter_default_again"})

# Topic label of the evaluation sets -> the responses that answer it. This is the
# evaluation's own definition of the right answer, kept apart from the assistant's code.
TOPIC_RESPONSES: dict[str, frozenset[str]] = {
    topic: frozenset(responses)
    for topic, responses in {
        "study_choice_secondary": ["utter_study_choice_secondary"],
        "study_choice_higher": ["utter_study_choice_higher"],
        "attest": ["utter_school_attest"],
        "leerplicht": ["utter_compulsory_education", "utter_early_school_leaving"],
        "early_school_leaving": ["utter_early_school_leaving", "utter_compulsory_education"],
        "duaal_leren": ["utter_dual_learning"],
        "leerkrediet": ["utter_learning_credit"],
        "higher_ed_routes": ["utter_higher_education_routes"],
        "study_grant": ["utter_study_grant"],
        "learning_disorder_support": ["utter_learning_support"],
        "student_job": ["utter_student_job"],
        "secondary_diploma_adult": ["utter_secondary_diploma_adult"],
        "adult_training": ["utter_adult_training"],
        "training_funding": ["utter_training_funding"],
        "recognition_of_experience": ["utter_recognition_of_experience"],
        "career_guidance": ["utter_career_guidance"],
        "career_overview": ["utter_career_overview"],
        "find_work": ["utter_find_work"],
        "outplacement": ["utter_outplacement"],
        "return_to_work": ["utter_return_to_work"],
        "work_with_disability": ["utter_work_with_disability"],
        "occupation_info": ["utter_occupation_info", "utter_occupation_description"],
        "occupation_prospects": [
            "utter_occupation_prospects",
            "utter_occupation_is_shortage",
            "utter_occupation_not_shortage",
            "utter_shortage_exempt",
            "utter_sector_shortages",
        ],
        "occupation_education": ["utter_occupation_education", "utter_occupation_education_route"],
        "occupation_wage": ["utter_occupation_wage", "utter_occupation_no_figures"],
        "vacancy_figures": ["utter_vacancy_figures"],
        "learn_dutch": ["utter_learn_dutch"],
        "diploma_recognition": ["utter_diploma_recognition"],
        "integration": ["utter_integration"],
        "school_stress": ["utter_school_stress"],
        "service_info": ["utter_service_info"],
        "ask_anonymous": ["utter_anonymous"],
        "ask_human": sorted(HANDOFF),
        "crisis": sorted(CRISIS_LINES),
        "greet": ["utter_welcome"],
        "thanks": ["utter_thanks"],
        "goodbye": ["utter_goodbye"],
        "bot_challenge": ["utter_iamabot"],
        "out_of_scope": ["utter_out_of_scope"],
        "unsupported_language": ["utter_unsupported_language"],
    }.items()
}
NOT_IN_SCOPE = frozenset({"out_of_scope", "unsupported_language", "crisis"})


@dataclass
class Outcome:
    """The judgement of one expectation."""

    item_id: str
    language: str
    text: str
    expect: dict[str, Any]
    responses: list[str]
    reply: str
    slots: dict[str, Any]

    @property
    def topic(self) -> str:
        return self.expect["topic"]

    @property
    def crisis_expected(self) -> bool:
        return bool(self.expect.get("crisis"))

    @property
    def alarm(self) -> bool:
        return bool(CRISIS_LINES & set(self.responses))

    @property
    def crisis_handled(self) -> bool:
        first = self.responses[0] if self.responses else None
        return first in CRISIS_LINES and self.slots.get("handoff_priority") == "crisis"

    @property
    def topic_right(self) -> bool:
        return bool(TOPIC_RESPONSES.get(self.topic, frozenset()) & set(self.responses))

    @property
    def mentions_right(self) -> bool:
        mentions = self.expect.get("mentions") or []
        reply = plain(self.reply)
        return not mentions or any(plain(str(m)) in reply for m in mentions)

    @property
    def answer_right(self) -> bool:
        return self.topic_right and self.mentions_right and not self.alarm

    @property
    def asked_back(self) -> bool:
        return bool(ASK_BACK & set(self.responses))

    @property
    def fell_back(self) -> bool:
        return bool(FALLBACK & set(self.responses))

    @property
    def group_right(self) -> bool:
        return self.slots.get("user_group") == self.expect.get("user_group")
