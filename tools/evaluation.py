"""Held-out evaluation through the running assistant (``make eval``).

The sets in ``tests/data/eval/`` were written apart from the training data and the rules
(see its README). Every item is played as a new anonymous conversation over Rasa's REST
channel against the real Rasa server and action server; the tracker then tells which
responses the assistant chose and which slots it set. Reported per language:

- right answer: the response for the item's topic came, the reply names one of the
  expected services or facts, and no crisis alarm was raised (in-scope items);
- user group right, on items that state it;
- ask-back (which group, which occupation, "Bedoel je ...?") and fallback rates;
- crisis recall (crisis lines as the first reply and the conversation queued as urgent) and
  false alarms;
- answered in the person's language (English and French sets);
- latency of one REST call, p50 and p95.

``--sets tests/data/eval_dev`` runs the development set instead (for looking at mistakes).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bot.nlu.language import LanguageIdentifier
from settings import PROJECT_DIR, Settings
from tools.heldout_judgement import Outcome
from tools.heldout_report import LanguageFigures, figures, render, write_section

EVAL_DIR = PROJECT_DIR / "tests" / "data" / "eval"


@dataclass
class Turn:
    """One message of an item and what the assistant did with it."""

    text: str
    expect: dict[str, Any] | None
    responses: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def load_sets(directory: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each language's items (all set files of that language together), Dutch first."""
    order = {"nl": 0, "en": 1, "fr": 2}
    items: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        items.setdefault(raw["language"], []).extend(raw["items"])
    return sorted(items.items(), key=lambda s: order.get(s[0], 3))


def _turns(item: dict[str, Any]) -> list[Turn]:
    turns = []
    raw = item["turns"]
    for index, turn in enumerate(raw):
        last = index == len(raw) - 1
        if isinstance(turn, dict):
            expect = turn.get("expect") or (item["expect"] if last else None)
            turns.append(Turn(turn["text"], expect))
        else:
            turns.append(Turn(turn, item["expect"] if last else None))
    return turns


def _latest_turn(events: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The responses and texts the assistant sent after the latest user message."""
    last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
    bots = [e for e in events[last_user:] if e.get("event") == "bot"]
    responses = [(e.get("metadata") or {}).get("utter_action") or "" for e in bots]
    texts = [e.get("text") or "" for e in bots]
    return responses, texts


async def play(
    session: aiohttp.ClientSession, rasa_url: str, token: str, item: dict[str, Any]
) -> list[Turn]:
    """Play one item as a new conversation and record every turn."""
    sender = "eval-" + uuid.uuid4().hex
    turns = _turns(item)
    for turn in turns:
        started = time.perf_counter()
        async with session.post(
            f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": turn.text}
        ) as response:
            response.raise_for_status()
            await response.json()
        turn.seconds = time.perf_counter() - started
        if turn.expect is None:
            continue
        async with session.get(
            f"{rasa_url}/conversations/{sender}/tracker", params={"token": token}
        ) as response:
            tracker = await response.json()
        turn.responses, turn.replies = _latest_turn(tracker["events"])
        turn.slots = tracker["slots"]
    return turns


async def run_sets(
    rasa_url: str, token: str, sets: list[tuple[str, list[dict[str, Any]]]], concurrency: int = 2
) -> tuple[list[Outcome], list[float]]:
    """Play every item of every set; return the judged expectations and the call times."""
    semaphore = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=60)

    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def one(language: str, item: dict[str, Any]) -> tuple[str, dict, list[Turn]]:
            async with semaphore:
                return language, item, await play(session, rasa_url, token, item)

        played = await asyncio.gather(
            *(one(language, item) for language, items in sets for item in items)
        )
    outcomes, seconds = [], []
    for language, item, turns in played:
        for turn in turns:
            seconds.append(turn.seconds)
            if turn.expect is not None:
                outcomes.append(
                    Outcome(
                        item["id"],
                        language,
                        turn.text,
                        turn.expect,
                        turn.responses,
                        "\n".join(turn.replies),
                        turn.slots,
                    )
                )
    return outcomes, seconds


def _print_misses(all_figures: list[LanguageFigures], limit: int) -> None:
    for f in all_figures:
        for o in f.misses[:limit]:
            print(f"  {o.item_id} [{o.topic}] {o.text[:70]!r} -> {o.responses[:3]}")


async def evaluate(
    settings: Settings, directory: Path
) -> tuple[list[LanguageFigures], list[float]]:
    """Start the stack, play the sets and compute the figures."""
    from ops.launcher import start_stack

    sets = load_sets(directory)
    stack = start_stack(settings)
    try:
        outcomes, seconds = await run_sets(settings.rasa_url, stack.token, sets)
    finally:
        stack.stop()
    identifier = LanguageIdentifier()
    by_language = [
        figures(language, [o for o in outcomes if o.language == language], identifier)
        for language, _ in sets
    ]
    return by_language, seconds


ALWAYS_OPEN = "weekly:\n" + "".join(
    f"  {day}: ['00:00-24:00']\n"
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)


def main(argv: list[str] | None = None) -> int:
    from ops.launcher import free_port

    parser = argparse.ArgumentParser(prog="python -m tools.evaluation")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--sets", type=Path, default=EVAL_DIR)
    parser.add_argument("--out", type=Path, default=None, help="report to update")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses a set")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wegwijzer-eval-") as tmp:
        var_dir = Path(tmp)
        hours = var_dir / "opening_hours.yml"
        hours.write_text(ALWAYS_OPEN, encoding="utf-8")  # crisis items are queued as urgent
        settings = Settings(
            rasa_port=free_port(),
            action_port=free_port(),
            rasa_token=None,
            var_dir=var_dir,
            model_path=args.model,
            web_port=free_port(),
            opening_hours_file=hours,
            messages_per_conversation=0,
            messages_per_address=0,
        )
        all_figures, seconds = asyncio.run(evaluate(settings, args.sets))
    section = render(all_figures, seconds, args.sets.resolve())
    print(section)
    _print_misses(all_figures, args.misses)
    if args.out:
        write_section(section, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
