"""Measure the assistant's understanding: ``python -m tools.quality`` (``make eval``).

- 5-fold NLU cross-validation (intent macro-F1, entity F1) with ``rasa test nlu``;
- conversation test stories with ``rasa test core``;
- the occupation entity ruler against the annotated examples.

Results are written to ``docs/quality.md`` with the intent confusion matrix image. The
held-out figures come from the end-to-end evaluation (``python -m tools.evaluation``, the
second step of ``make eval``), which writes its own section of the same file; this report
keeps that section when it rewrites the file.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import time
from pathlib import Path

from settings import PROJECT_DIR
from tools.quality_measures import cross_validate, evaluate_occupations, test_conversations
from tools.quality_report import write_report


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
    occupations = asyncio.run(evaluate_occupations(args.model))

    images = args.out.parent / "quality"
    images.mkdir(parents=True, exist_ok=True)
    shutil.copy(results / "nlu" / "intent_confusion_matrix.png", images)
    write_report(args.out, cv, stories, occupations, time.monotonic() - started)
    print(args.out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
