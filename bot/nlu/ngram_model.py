"""A small text classifier over character and word n-grams, for signals DIET does not give.

Logistic regression on TF-IDF features of the plain text (lowercase, no accents).
Character n-grams carry a stem such as "pil", "sterv" or "frapp" to wordings no example
or lexicon lists, in every language the examples are written in. Used for the intent mix,
the crisis risk score and the user group (the ``*_components`` modules of ``bot/nlu/``);
it trains in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.nlu.chat_text import plain


@dataclass
class NgramModel:
    """Predicts a label for a text, with its probability."""

    pipeline: Pipeline

    @classmethod
    def train(cls, texts: list[str], labels: list[str], strength: float = 4.0) -> NgramModel:
        """Fit on ``texts`` and their ``labels``; ``strength`` is the inverse of the
        regularisation (higher fits the examples more closely)."""
        features = FeatureUnion(
            [
                (
                    "chars",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
                ),
                ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ]
        )
        # Balanced classes: a rare label (crisis) weighs as much as a frequent one.
        classifier = LogisticRegression(C=strength, class_weight="balanced", max_iter=3000)
        pipeline = Pipeline([("features", features), ("classifier", classifier)])
        pipeline.fit([plain(text) for text in texts], labels)
        return cls(pipeline)

    def probabilities(self, text: str) -> dict[str, float]:
        """Every label's probability for ``text``."""
        row = self.pipeline.predict_proba([plain(text)])[0]
        return {str(label): float(p) for label, p in zip(self.pipeline.classes_, row, strict=True)}

    def save(self, path: Path) -> None:
        joblib.dump(self.pipeline, path)

    @classmethod
    def load(cls, path: Path) -> NgramModel:
        return cls(joblib.load(path))
