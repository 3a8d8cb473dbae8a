"""``docs/quality.md``: the figures of ``tools.quality``, with the held-out section kept.

The section between the held-out markers is written by ``tools.evaluation``; rewriting the
report keeps it, after the figures and before the notes of ``docs/quality_analysis.md``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tools.heldout_report import SECTION_END, SECTION_START
from tools.quality_measures import EntityReport


def held_out_section(text: str) -> str | None:
    """The held-out evaluation's section of a report, markers included, if it has one."""
    if SECTION_START not in text or SECTION_END not in text:
        return None
    section = text.split(SECTION_START, 1)[1].split(SECTION_END, 1)[0]
    return f"{SECTION_START}{section}{SECTION_END}"


def write_report(
    path: Path,
    cv: dict[str, Any],
    stories: dict[str, Any],
    occupations: EntityReport,
    seconds: float,
) -> None:
    """Write the report to ``path``, keeping its held-out section."""

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
    ]
    section = held_out_section(path.read_text(encoding="utf-8")) if path.exists() else None
    if section:
        lines += [section, ""]
    analysis = path.with_name("quality_analysis.md")
    if analysis.exists():
        lines += ["", analysis.read_text(encoding="utf-8")]
    path.write_text("\n".join(lines), encoding="utf-8")
