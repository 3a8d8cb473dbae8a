"""The n-gram model behind the crisis risk score and the user-group guess."""

from __future__ import annotations

from pathlib import Path

from bot.nlu.ngram_model import NgramModel

TEXTS = [
    "ik wil niet meer leven",
    "ik denk aan zelfmoord",
    "ik heb pillen gespaard voor vanavond",
    "I want to die tonight",
    "je veux mourir",
    "welke richting kies ik na het zesde",
    "hoeveel verdient een lasser",
    "waar leer ik Nederlands",
    "how do I find a job in Gent",
    "c'est quoi un graduat",
]
LABELS = ["crisis"] * 5 + ["other"] * 5


def test_an_unseen_wording_with_the_same_stems_scores_higher_than_an_ordinary_question():
    model = NgramModel.train(TEXTS, LABELS)
    # Neither sentence is an example; the stems "leven", "pillen", "mourir" carry over.
    danger = model.probabilities("ik heb geen zin meer om te leven, de pillen liggen klaar")
    ordinary = model.probabilities("welke opleiding voor lasser in Gent")
    assert danger["crisis"] > 0.5 > ordinary["crisis"]
    assert set(danger) == {"crisis", "other"}
    assert abs(sum(danger.values()) - 1.0) < 1e-9


def test_plain_text_makes_accents_and_case_irrelevant():
    model = NgramModel.train(TEXTS, LABELS)
    assert model.probabilities("JE VEUX MOURIR") == model.probabilities("je veux mourir")
    assert model.probabilities("élève") == model.probabilities("eleve")


def test_a_saved_model_predicts_the_same_after_loading(tmp_path: Path):
    model = NgramModel.train(TEXTS, LABELS)
    model.save(tmp_path / "model.joblib")
    loaded = NgramModel.load(tmp_path / "model.joblib")
    text = "i have saved pills for tonight"
    assert loaded.probabilities(text) == model.probabilities(text)
