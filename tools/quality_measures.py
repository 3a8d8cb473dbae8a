"""The measures of ``make eval`` that need no running server.

- NLU cross-validation with ``rasa test nlu`` (intent and entity F1);
- the conversation test stories with ``rasa test core``;
- the occupation entity ruler against the annotated examples in ``data/nlu``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from settings import PROJECT_DIR

TEST_STORIES = PROJECT_DIR / "tests" / "stories"
NLU_DATA = PROJECT_DIR / "data" / "nlu"


class Parser(Protocol):
    """Anything that parses a message like Rasa's ``Agent.parse_message``."""

    async def parse_message(self, message: str) -> dict[str, Any]: ...


@dataclass
class EntityReport:
    """Precision, recall and F1 of one entity type against the annotated NLU examples."""

    entity: str
    true_positives: int
    predicted: int
    annotated: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.annotated if self.annotated else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


async def evaluate_entity(parser: Parser, entity: str) -> EntityReport:
    """Compare predicted spans of ``entity`` with the annotations in ``data/nlu``.

    Rasa's evaluation leaves out pretrained extractors such as SpacyEntityExtractor;
    the occupation ruler is not trained on these examples, so no fold is needed.
    """
    from rasa.shared.nlu.training_data.loading import load_data

    report = EntityReport(entity, 0, 0, 0)
    for message in load_data(str(NLU_DATA)).training_examples:
        text = message.get("text")
        gold = {
            text[e["start"] : e["end"]].lower()
            for e in message.get("entities") or []
            if e["entity"] == entity
        }
        parsed = await parser.parse_message(text)
        found = {
            text[e["start"] : e["end"]].lower()
            for e in parsed.get("entities", [])
            if e["entity"] == entity and e.get("end")
        }
        report.annotated += len(gold)
        report.predicted += len(found)
        report.true_positives += len(gold & found)
    return report


async def evaluate_occupations(model: Path) -> EntityReport:
    """The occupation entity report of the trained ``model``."""
    from rasa.core.agent import Agent

    return await evaluate_entity(Agent.load(str(model)), "occupation")


def _rasa(*args: str) -> None:
    rasa = Path(sys.executable).with_name("rasa")
    subprocess.run([str(rasa), *args], cwd=PROJECT_DIR, check=True)


def cross_validate(out: Path, folds: int = 5, run: bool = True) -> dict[str, Any]:
    """Run NLU cross-validation (or reuse the last one) and return its figures."""
    if run:
        _rasa(
            "test", "nlu", "--nlu", str(NLU_DATA), "--config", "bot/config.yml",
            "--cross-validation", "--folds", str(folds), "--out", str(out),
        )  # fmt: skip
    intents = json.loads((out / "intent_report.json").read_text())
    figures: dict[str, Any] = {
        "intent_macro_f1": intents["macro avg"]["f1-score"],
        "intent_weighted_f1": intents["weighted avg"]["f1-score"],
        "intent_accuracy": intents.get("accuracy"),
        "per_intent": {
            name: row["f1-score"]
            for name, row in intents.items()
            if isinstance(row, dict) and "support" in row and "avg" not in name
        },
        "entities": {},
    }
    for report in sorted(out.glob("*Extractor_report.json")):
        data = json.loads(report.read_text())
        extractor = report.name.removesuffix("_report.json")
        figures["entities"][extractor] = {
            name: round(row["f1-score"], 3)
            for name, row in data.items()
            if isinstance(row, dict) and "support" in row and row.get("support")
        }
    return figures


def test_conversations(model: Path, out: Path) -> dict[str, Any]:
    """Run the conversation test stories against the trained model."""
    _rasa(
        "test", "core", "--model", str(model), "--stories", str(TEST_STORIES),
        "--out", str(out), "--no-plot",
    )  # fmt: skip
    failed_path = out / "failed_test_stories.yml"
    failed_text = failed_path.read_text() if failed_path.exists() else ""
    failed = failed_text.count("- story:")
    total = sum(
        len((yaml.safe_load(p.read_text()) or {}).get("stories", []))
        for p in TEST_STORIES.glob("*.yml")
    )
    return {"stories": total, "failed": failed}
