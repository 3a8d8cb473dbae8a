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
    "school_attest": "utter_school_attest",
    "compulsory_education": "utter_compulsory_education",
    "dual_learning": "utter_dual_learning",
    "learning_credit": "utter_learning_credit",
    "higher_education_routes": "utter_higher_education_routes",
    "study_grant": "utter_study_grant",
    "learning_support": "utter_learning_support",
    "student_job": "utter_student_job",
    "secondary_diploma_adult": "utter_secondary_diploma_adult",
    "recognition_of_experience": "utter_recognition_of_experience",
    "outplacement": "utter_outplacement",
    "vacancy_figures": "utter_vacancy_figures",
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
    "school_attest": "failed_year",
    "compulsory_education": "early_school_leaving",
    "dual_learning": "early_school_leaving",
    "learning_credit": "failed_year",
    "higher_education_routes": "study_choice",
    "learning_support": "failed_year",
    "secondary_diploma_adult": "early_school_leaving",
    "recognition_of_experience": "adult_training",
    "outplacement": "find_work",
    "vacancy_figures": "labour_market_info",
}

# Question intent -> dated facts from the store that belong to the answer.
FACTS_OF_TOPIC: dict[str, tuple[str, ...]] = {
    "service_info": ("clb_chat_openingsuren",),
    "school_attest": ("attest_a", "attest_b", "attest_c", "attest_beroep"),
    "compulsory_education": ("leerplicht_duur", "leerplicht_deeltijds"),
    "dual_learning": ("duaal_leren_wat", "duaal_leren_leeftijd"),
    "learning_credit": (
        "leerkrediet_start",
        "leerkrediet_op",
        "leerkrediet_veranderen",
        "leerkrediet_regels",
    ),
    "higher_education_routes": ("graduaat", "bachelor_soorten", "schakelprogramma"),
    "study_grant": ("studietoelage", "schooltoeslag"),
    "learning_support": ("functiebeperking_statuut",),
    "student_job": ("studentenjob_uren", "studentenjob_leeftijd"),
    "secondary_diploma_adult": ("diploma_secundair_cvo", "diploma_secundair_examencommissie"),
    "recognition_of_experience": ("evc_stappen", "evc_vrijstellingen"),
    "outplacement": ("outplacement_recht", "outplacement_45_plus"),
    "training_funding": ("opleidingsverlof", "opleidingscheques"),
    "return_to_work": ("terug_naar_werk",),
    "integration": ("inburgering_voor_wie", "inburgering_traject", "inburgering_kosten"),
    "learn_dutch": ("nt2_instap",),
    "adult_training": ("leerwinkel_aanbod",),
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
