"""Which questions the assistant answers, and what each answer needs first."""

from __future__ import annotations

# Question intent -> domain response that answers it.
ANSWERS: dict[str, str] = {
    "study_choice_secondary": "utter_study_choice_secondary",
    "study_choice_higher": "utter_study_choice_higher",
    "early_school_leaving": "utter_early_school_leaving",
    "adult_training": "utter_adult_training",
    "training_funding": "utter_training_funding",
    "career_guidance": "utter_career_guidance",
    "find_work": "utter_find_work",
    "return_to_work": "utter_return_to_work",
    "work_with_disability": "utter_work_with_disability",
    "career_overview": "utter_career_overview",
    "occupation_info": "utter_occupation_info",
    "occupation_education": "utter_occupation_education",
    "occupation_wage": "utter_occupation_wage",
    "occupation_prospects": "utter_occupation_prospects",
    "learn_dutch": "utter_learn_dutch",
    "diploma_recognition": "utter_diploma_recognition",
    "integration": "utter_integration",
    "service_info": "utter_service_info",
}

# Question intent -> the need (knowledge/vocabulary.py) whose services are signposted.
NEED_OF_TOPIC: dict[str, str] = {
    "study_choice_secondary": "study_choice",
    "study_choice_higher": "study_choice",
    "early_school_leaving": "early_school_leaving",
    "adult_training": "adult_training",
    "training_funding": "training_funding",
    "career_guidance": "career_guidance",
    "find_work": "find_work",
    "return_to_work": "return_to_work",
    "work_with_disability": "work_with_disability",
    "career_overview": "career_overview",
    "learn_dutch": "learn_dutch",
    "diploma_recognition": "diploma_recognition",
    "integration": "integration",
}

# Question intent -> dated facts from the store that belong to the answer.
FACTS_OF_TOPIC: dict[str, tuple[str, ...]] = {
    "service_info": ("clb_chat_openingsuren",),
}

# Answers that differ by user group: ask once who the person is when it is unknown.
DEPENDS_ON_USER_GROUP = frozenset(
    {
        "study_choice_higher",
        "adult_training",
        "training_funding",
        "career_guidance",
        "find_work",
    }
)

# Answers looked up in the knowledge store when an occupation is known.
OCCUPATION_TOPICS = frozenset(
    {"occupation_info", "occupation_education", "occupation_wage", "occupation_prospects"}
)

# Answers about one occupation: ask which one when none was named.
NEEDS_OCCUPATION = frozenset({"occupation_info", "occupation_education"})

# Intents that answer a question of the assistant instead of asking a new one.
FOLLOW_UP_INTENTS = frozenset(
    {"inform_user_group", "decline_user_group", "inform_occupation", "all_is_well"}
)
