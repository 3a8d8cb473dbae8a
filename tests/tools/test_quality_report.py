"""docs/quality.md as tools.quality writes it: its own figures, the held-out section kept."""

from __future__ import annotations

from pathlib import Path

from tools.heldout_report import SECTION_END, SECTION_START, write_section
from tools.quality_measures import EntityReport
from tools.quality_report import write_report

CV = {
    "intent_macro_f1": 0.8,
    "per_intent": {"greet": 0.9},
    "entities": {"RegexEntityExtractor": {"age": 0.95}},
}
STORIES = {"stories": 11, "failed": 0}
OCCUPATIONS = EntityReport("occupation", true_positives=9, predicted=10, annotated=10)
HELD_OUT = f"{SECTION_START}\n## Held-out evaluation\n\n| right answer | 80% |\n{SECTION_END}"


def _write(report: Path) -> str:
    write_report(report, CV, STORIES, OCCUPATIONS, seconds=1)
    return report.read_text(encoding="utf-8")


def test_a_new_report_has_the_figures_and_no_held_out_section(tmp_path):
    text = _write(tmp_path / "quality.md")
    assert "| conversation test stories passed | 11/11 | all | met |" in text
    assert "| greet | 0.900 |" in text
    assert "occupation | 0.900 (precision 0.900, recall 0.900, 10 annotated)" in text
    assert SECTION_START not in text


def test_rewriting_keeps_the_held_out_section_word_for_word(tmp_path):
    report = tmp_path / "quality.md"
    (tmp_path / "quality_analysis.md").write_text("## Notes\n", encoding="utf-8")
    report.write_text(f"# old figures\n\n{HELD_OUT}\n\nold notes\n", encoding="utf-8")

    text = _write(report)

    assert "old figures" not in text and "old notes" not in text
    assert text.count(SECTION_START) == 1 and HELD_OUT in text
    assert text.index("occupation ruler") < text.index(SECTION_START) < text.index("## Notes")


def test_the_evaluation_then_replaces_the_section_in_place(tmp_path):
    report = tmp_path / "quality.md"
    report.write_text(HELD_OUT, encoding="utf-8")
    _write(report)

    write_section(f"{SECTION_START}\nnew figures\n{SECTION_END}\n", report)

    text = report.read_text(encoding="utf-8")
    assert text.count(SECTION_START) == 1 and "new figures" in text and "80%" not in text
    assert text == _write(report)
