"""Precision and recall of the redaction on the corpus: ``python -m privacy.evaluation``."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from privacy.redaction import placeholders_in, redact

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "redaction_corpus.yml"


@dataclass(frozen=True)
class Score:
    """Placeholder counts over the corpus, and the sentences that came out different."""

    true_positives: int
    false_positives: int
    false_negatives: int
    sentences: int
    mismatches: list[tuple[str, str, str]]  # text, expected, got

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def score(corpus: Path = CORPUS) -> Score:
    entries = yaml.safe_load(corpus.read_text(encoding="utf-8"))
    tp = fp = fn = 0
    mismatches = []
    for entry in entries:
        got = redact(entry["text"])
        expected, found = Counter(placeholders_in(entry["redacted"])), Counter(placeholders_in(got))
        hits = sum((expected & found).values())
        tp += hits
        fp += sum(found.values()) - hits
        fn += sum(expected.values()) - hits
        if got != entry["redacted"]:
            mismatches.append((entry["text"], entry["redacted"], got))
    return Score(tp, fp, fn, len(entries), mismatches)


def main() -> int:
    result = score()
    print(
        f"redaction over {result.sentences} sentences: precision {result.precision:.3f}, "
        f"recall {result.recall:.3f} ({result.true_positives} found, "
        f"{result.false_positives} wrongly, {result.false_negatives} missed); "
        f"{len(result.mismatches)} sentences differ from the expected text"
    )
    for text, expected, got in result.mismatches:
        print(f"  {text!r}\n    expected {expected!r}\n    got      {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
