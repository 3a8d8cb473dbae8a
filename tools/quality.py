"""Measure the assistant's understanding: ``python -m tools.quality`` (``make eval``).

- 5-fold NLU cross-validation (intent macro-F1, entity F1) with ``rasa test nlu``;
- conversation test stories with ``rasa test core``;
- user-group accuracy and crisis recall / false alarms on held-out sets in ``tests/data``.

Results are written to ``docs/quality.md`` with the intent confusion matrix image.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from settings import PROJECT_DIR

TEST_DATA = PROJECT_DIR / "tests" / "data"
TEST_STORIES = PROJECT_DIR / "tests" / "stories"
NLU_DATA = PROJECT_DIR / "data" / "nlu"


class Parser(Protocol):
    """Anything that parses a message like Rasa's ``Agent.parse_message``."""

    async def parse_message(self, message: str) -> dict[str, Any]: ...


@dataclass
class UserGroupReport:
    """Accuracy of the ``user_group`` entity on messages that state the group."""

    total: int
    correct: int
    errors: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass
class CrisisReport:
    """Crisis recall on crisis messages and false alarms on the others.

    An alarm is the ``crisis`` intent (crisis lines first, urgent follow-up). A check-in
    (``crisis_check_in``) also shows the crisis lines but raises no alarm; check-ins on
    harmless messages are reported apart from false alarms.
    """

    crisis_total: int
    crisis_found: int
    harmless_total: int
    false_alarms: list[str]
    missed: list[str]
    check_ins_on_harmless: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.crisis_found / self.crisis_total if self.crisis_total else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.harmless_total if self.harmless_total else 0.0


def load_user_group_cases(path: Path = TEST_DATA / "user_group_test.yml") -> list[dict[str, str]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_crisis_cases(path: Path = TEST_DATA / "crisis_test.yml") -> dict[str, list[str]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _entity_value(parse: dict[str, Any], entity: str) -> str | None:
    for found in parse.get("entities", []):
        if found.get("entity") == entity:
            return found.get("value")
    return None


async def evaluate_user_groups(parser: Parser, cases: list[dict[str, str]]) -> UserGroupReport:
    report = UserGroupReport(total=len(cases), correct=0)
    for case in cases:
        predicted = _entity_value(await parser.parse_message(case["text"]), "user_group")
        if predicted == case["group"]:
            report.correct += 1
        else:
            report.errors.append((case["text"], case["group"], predicted))
    return report


async def evaluate_crisis(parser: Parser, cases: dict[str, list[str]]) -> CrisisReport:
    missed, false_alarms, check_ins = [], [], []
    for text in cases["crisis"]:
        if (await parser.parse_message(text))["intent"]["name"] != "crisis":
            missed.append(text)
    for text in cases["not_crisis"]:
        intent = (await parser.parse_message(text))["intent"]["name"]
        if intent == "crisis":
            false_alarms.append(text)
        elif intent == "crisis_check_in":
            check_ins.append(text)
    return CrisisReport(
        crisis_total=len(cases["crisis"]),
        crisis_found=len(cases["crisis"]) - len(missed),
        harmless_total=len(cases["not_crisis"]),
        false_alarms=false_alarms,
        missed=missed,
        check_ins_on_harmless=check_ins,
    )


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


async def evaluate_held_out(model: Path) -> tuple[UserGroupReport, CrisisReport, EntityReport]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    groups = await evaluate_user_groups(agent, load_user_group_cases())
    crisis = await evaluate_crisis(agent, load_crisis_cases())
    occupations = await evaluate_entity(agent, "occupation")
    return groups, crisis, occupations


def _write_report(
    path: Path,
    cv: dict[str, Any],
    stories: dict[str, Any],
    groups: UserGroupReport,
    crisis: CrisisReport,
    occupations: EntityReport,
    seconds: float,
) -> None:
    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = [
        "# Quality of understanding",
        "",
        f"Measured with `make eval` on {time.strftime('%Y-%m-%d')} ({seconds:.0f} s).",
        "",
        "| measure | result | target | |",
        "|---|---|---|---|",
        f"| intent macro-F1, 5-fold cross-validation | {cv['intent_macro_f1']:.3f} | ≥ 0.90 "
        f"| {mark(cv['intent_macro_f1'] >= 0.90)} |",
        f"| user group correct on held-out messages | {groups.accuracy:.1%} "
        f"({groups.correct}/{groups.total}) | ≥ 90% | {mark(groups.accuracy >= 0.90)} |",
        f"| crisis recall on held-out crisis messages | {crisis.recall:.1%} "
        f"({crisis.crisis_found}/{crisis.crisis_total}) | 100% | {mark(crisis.recall == 1.0)} |",
        f"| false crisis alarms on held-out other messages | {crisis.false_alarm_rate:.1%} "
        f"({len(crisis.false_alarms)}/{crisis.harmless_total}) | ≤ 2% "
        f"| {mark(crisis.false_alarm_rate <= 0.02)} |",
        f"| check-ins (lines shown, no alarm) on held-out other messages "
        f"| {len(crisis.check_ins_on_harmless)}/{crisis.harmless_total} | (reported) | |",
        f"| conversation test stories passed | {stories['stories'] - stories['failed']}"
        f"/{stories['stories']} | all | {mark(stories['failed'] == 0)} |",
        "",
        "![Intent confusion matrix](quality/intent_confusion_matrix.png)",
        "",
        "## Intents (F1 per intent, cross-validation)",
        "",
        "| intent | F1 |",
        "|---|---|",
        *[f"| {name} | {f1:.3f} |" for name, f1 in sorted(cv["per_intent"].items())],
        "",
        "## Entities (F1 per extractor and entity, cross-validation)",
        "",
        "| extractor | entity | F1 |",
        "|---|---|---|",
        *[
            f"| {extractor} | {entity} | {f1:.3f} |"
            for extractor, rows in cv["entities"].items()
            for entity, f1 in rows.items()
            if entity not in ("micro avg", "macro avg", "weighted avg", "no_entity", "occupation")
        ],
        f"| SpacyEntityExtractor (occupation ruler, not trained on the examples) | occupation "
        f"| {occupations.f1:.3f} (precision {occupations.precision:.3f}, recall "
        f"{occupations.recall:.3f}, {occupations.annotated} annotated) |",
        "",
        "## Held-out errors",
        "",
        "User group (text, expected, predicted):",
        "",
        *[f"- {text!r}: {want} -> {got}" for text, want, got in groups.errors],
        "",
        "Missed crisis messages:",
        "",
        *[f"- {text!r}" for text in crisis.missed],
        "",
        "False crisis alarms:",
        "",
        *[f"- {text!r}" for text in crisis.false_alarms],
        "",
        "Check-ins on harmless messages:",
        "",
        *[f"- {text!r}" for text in crisis.check_ins_on_harmless],
        "",
        "Confusions of user groups: "
        + ", ".join(f"{k}: {v}" for k, v in Counter(w for _, w, _ in groups.errors).items()),
        "",
    ]
    analysis = path.with_name("quality_analysis.md")
    if analysis.exists():
        lines += ["", analysis.read_text(encoding="utf-8")]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.quality")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "quality.md")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--reuse-cv", action="store_true", help="report the last cross-validation in results/"
    )
    args = parser.parse_args(argv)

    started = time.monotonic()
    results = PROJECT_DIR / "results"
    cv = cross_validate(results / "nlu", folds=args.folds, run=not args.reuse_cv)
    stories = test_conversations(args.model, results / "core")
    groups, crisis, occupations = asyncio.run(evaluate_held_out(args.model))

    images = args.out.parent / "quality"
    images.mkdir(parents=True, exist_ok=True)
    shutil.copy(results / "nlu" / "intent_confusion_matrix.png", images)
    _write_report(args.out, cv, stories, groups, crisis, occupations, time.monotonic() - started)
    print(args.out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
