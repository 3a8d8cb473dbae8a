"""One intent model for Dutch, English and French, or one per language?

``python -m tools.language_models`` trains the n-gram intent model of the pipeline
(:mod:`bot.nlu.ngram_model`, the larger part of the mixed intent ranking) on the examples
of all three languages and on each language's own, and prints the share of development
items (``tests/data/eval_dev``, last turn) whose topic each model's top intent answers.
DIET is left out: training it three more times takes half an hour on this machine.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bot.nlu.ngram_model import NgramModel
from settings import PROJECT_DIR
from tools.heldout_judgement import TOPIC_RESPONSES

LANGUAGES = ("nl", "en", "fr")


def _examples(directory: Path) -> tuple[list[str], list[str]]:
    """The intent examples of the NLU files directly in ``directory``."""
    texts, intents = [], []
    for path in sorted(directory.glob("*.yml")):
        for message in load_data(str(path)).intent_examples:
            if message.get("text"):
                texts.append(message.get("text"))
                intents.append(message.get("intent"))
    return texts, intents


def _answers(model: NgramModel, text: str, topic: str) -> bool:
    probabilities = model.probabilities(text)
    intent = max(probabilities, key=probabilities.__getitem__)
    return f"utter_{intent}" in TOPIC_RESPONSES[topic] or intent == topic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.language_models")
    parser.add_argument("--sets", type=Path, default=PROJECT_DIR / "tests" / "data" / "eval_dev")
    args = parser.parse_args(argv)
    nlu = PROJECT_DIR / "data" / "nlu"
    examples = {lang: _examples(nlu if lang == "nl" else nlu / lang) for lang in LANGUAGES}
    joint = NgramModel.train(
        [t for lang in LANGUAGES for t in examples[lang][0]],
        [i for lang in LANGUAGES for i in examples[lang][1]],
    )
    print("language  items  one model  per language")
    for lang in LANGUAGES:
        own = NgramModel.train(*examples[lang])
        items = yaml.safe_load((args.sets / f"{lang}.yml").read_text(encoding="utf-8"))["items"]
        judged = [
            (turn if isinstance(turn, str) else turn["text"], item["expect"]["topic"])
            for item in items
            for turn in item["turns"][-1:]
            if item["expect"]["topic"] in TOPIC_RESPONSES
            and item["expect"]["topic"] not in ("ask_human", "unsupported_language")
        ]
        shares = [
            100 * sum(_answers(model, text, topic) for text, topic in judged) / len(judged)
            for model in (joint, own)
        ]
        print(f"{lang:8}  {len(judged):5}  {shares[0]:8.1f}%  {shares[1]:11.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
