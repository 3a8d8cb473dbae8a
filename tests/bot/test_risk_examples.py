"""The risk model's example files (data/risk/): read with their labels, and a change to
them retrains the model."""

import yaml

from bot.nlu.component_base import examples_fingerprint
from bot.nlu.crisis_components import RiskScorer, read_risk_examples
from settings import PROJECT_DIR

RISK_EXAMPLES = PROJECT_DIR / "data" / "risk"


def test_danger_and_look_alikes_get_their_labels(tmp_path):
    (tmp_path / "tr.yml").write_text(
        "language: tr\ncrisis: [yaşamak istemiyorum]\nnot_crisis: [merhaba, teşekkürler]\n",
        encoding="utf-8",
    )
    (tmp_path / "ar.yml").write_text("language: ar\ncrisis: []\n", encoding="utf-8")
    texts, labels = read_risk_examples(tmp_path)
    assert list(zip(texts, labels, strict=True)) == [
        ("yaşamak istemiyorum", "crisis"),
        ("merhaba", "other"),
        ("teşekkürler", "other"),
    ]


def test_every_example_file_has_both_danger_and_look_alikes():
    # A language with danger only would teach the model that the language is the danger.
    files = sorted(RISK_EXAMPLES.glob("*.yml"))
    assert files
    for path in files:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert raw.get("crisis") and raw.get("not_crisis"), path.name


def test_rasa_retrains_the_risk_model_when_its_examples_change():
    digest = RiskScorer.fingerprint_addon({"examples": str(RISK_EXAMPLES)})
    assert digest == examples_fingerprint(RISK_EXAMPLES)
    assert RiskScorer.fingerprint_addon({"output": "cached"}) is None
