"""The controlled words of the store: user groups and needs."""

from __future__ import annotations

USER_GROUPS = (
    "scholier",
    "student_beroepsonderwijs",
    "student_hoger_onderwijs",
    "lerende_volwassene",
    "werkende",
    "werkzoekende",
    "andere_volwassene",
    "kwetsbare_jongere",
    "achtergestelde_groep",
    "migratieachtergrond",
    "ouder_of_begeleider",
)

NEEDS = (
    "study_choice",
    "failed_year",
    "early_school_leaving",
    "adult_training",
    "training_funding",
    "career_guidance",
    "find_work",
    "return_to_work",
    "work_with_disability",
    "career_overview",
    "labour_market_info",
    "learn_dutch",
    "diploma_recognition",
    "integration",
    "wellbeing",
    "talk_to_someone",
)
