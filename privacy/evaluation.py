"""Precision and recall of the redaction on the corpus: ``python -m privacy.evaluation``."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from privacy.redaction import placeholders_in, redact

_DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
# The first corpus was written alongside the rules; the second apart from them, by someone
# who never read the rules (its header says how). Both are reported; the second is the
# honest figure for text nobody tuned on.
CORPUS = _DATA / "redaction_corpus.yml"
CORPUS_2 = _DATA / "redaction_corpus_2.yml"
CORPORA = (CORPUS, CORPUS_2)


@dataclass(frozen=True)
class Score:
    """Placeholder counts over the corpus, and the sentences that came out different."""

    true_positives: int
    false_positives: int
    false_negatives: int
    sentences: int
    mismatches: list[tuple[str, str, str]]  # text, expected, got
    by_kind: dict[str, Counter[str]]  # placeholder -> {"found", "wrongly", "missed"}

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
    by_kind: dict[str, Counter[str]] = {}
    for entry in entries:
        got = redact(entry["text"])
        expected, found = Counter(placeholders_in(entry["redacted"])), Counter(placeholders_in(got))
        hits = sum((expected & found).values())
        tp += hits
        fp += sum(found.values()) - hits
        fn += sum(expected.values()) - hits
        for kind in expected | found:
            counts = by_kind.setdefault(kind, Counter())
            counts["found"] += min(expected[kind], found[kind])
            counts["wrongly"] += max(0, found[kind] - expected[kind])
            counts["missed"] += max(0, expected[kind] - found[kind])
        if got != entry["redacted"]:
            mismatches.append((entry["text"], entry["redacted"], got))
    return Score(tp, fp, fn, len(entries), mismatches, by_kind)


def main(argv: list[str] | None = None) -> int:
    """Print both corpora's figures; ``--mismatches`` lists the sentences that differ."""
    show = "--mismatches" in (argv if argv is not None else sys.argv[1:])
    for corpus in CORPORA:
        result = score(corpus)
        print(
            f"{corpus.name}: {result.sentences} sentences, precision {result.precision:.3f}, "
            f"recall {result.recall:.3f} ({result.true_positives} found, "
            f"{result.false_positives} wrongly, {result.false_negatives} missed); "
            f"{len(result.mismatches)} sentences differ from the expected text"
        )
        for kind, counts in sorted(result.by_kind.items()):
            print(
                f"  {kind:<22} found {counts['found']:>3}, wrongly {counts['wrongly']:>2}, "
                f"missed {counts['missed']:>2}"
            )
        for text, expected, got in result.mismatches if show else ():
            print(f"  {text!r}\n    expected {expected!r}\n    got      {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
