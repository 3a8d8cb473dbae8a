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
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bot.nlu.chat_text import plain
from bot.nlu.language import LanguageIdentifier
from settings import PROJECT_DIR, Settings

EVAL_DIR = PROJECT_DIR / "tests" / "data" / "eval"
REPORT = PROJECT_DIR / "docs" / "quality.md"
SECTION_START = "<!-- held-out evaluation: start -->"
SECTION_END = "<!-- held-out evaluation: end -->"

CRISIS_LINES = frozenset({"utter_crisis_lines", "utter_crisis_lines_violence"})
HANDOFF = frozenset(
    {
        "utter_handoff_queued",
        "utter_handoff_nobody_online",
        "utter_handoff_closed",
        "utter_handoff_closed_unknown",
        "utter_handoff_unavailable",
    }
)
ASK_BACK = frozenset(
    {"utter_ask_occupation", "utter_did_you_mean", "utter_ask_user_group"}
    | {"utter_occupation_did_you_mean"}
)
FALLBACK = frozenset({"utter_default", "utter_default_again"})

# Topic label of the evaluation sets -> the responses that answer it. This is the
# evaluation's own definition of the right answer, kept apart from the assistant's code.
TOPIC_RESPONSES: dict[str, frozenset[str]] = {
    topic: frozenset(responses)
    for topic, responses in {
        "study_choice_secondary": ["utter_study_choice_secondary"],
        "study_choice_higher": ["utter_study_choice_higher"],
        "attest": ["utter_school_attest"],
        "leerplicht": ["utter_compulsory_education", "utter_early_school_leaving"],
        "early_school_leaving": ["utter_early_school_leaving", "utter_compulsory_education"],
        "duaal_leren": ["utter_dual_learning"],
        "leerkrediet": ["utter_learning_credit"],
        "higher_ed_routes": ["utter_higher_education_routes"],
        "study_grant": ["utter_study_grant"],
        "learning_disorder_support": ["utter_learning_support"],
        "student_job": ["utter_student_job"],
        "secondary_diploma_adult": ["utter_secondary_diploma_adult"],
        "adult_training": ["utter_adult_training"],
        "training_funding": ["utter_training_funding"],
        "recognition_of_experience": ["utter_recognition_of_experience"],
        "career_guidance": ["utter_career_guidance"],
        "career_overview": ["utter_career_overview"],
        "find_work": ["utter_find_work"],
        "outplacement": ["utter_outplacement"],
        "return_to_work": ["utter_return_to_work"],
        "work_with_disability": ["utter_work_with_disability"],
        "occupation_info": ["utter_occupation_info", "utter_occupation_description"],
        "occupation_prospects": [
            "utter_occupation_prospects",
            "utter_occupation_is_shortage",
            "utter_occupation_not_shortage",
            "utter_shortage_exempt",
            "utter_sector_shortages",
        ],
        "occupation_education": ["utter_occupation_education", "utter_occupation_education_route"],
        "occupation_wage": ["utter_occupation_wage", "utter_occupation_no_figures"],
        "vacancy_figures": ["utter_vacancy_figures"],
        "learn_dutch": ["utter_learn_dutch"],
        "diploma_recognition": ["utter_diploma_recognition"],
        "integration": ["utter_integration"],
        "school_stress": ["utter_school_stress"],
        "service_info": ["utter_service_info"],
        "ask_anonymous": ["utter_anonymous"],
        "ask_human": sorted(HANDOFF),
        "crisis": sorted(CRISIS_LINES),
        "greet": ["utter_welcome"],
        "thanks": ["utter_thanks"],
        "goodbye": ["utter_goodbye"],
        "bot_challenge": ["utter_iamabot"],
        "out_of_scope": ["utter_out_of_scope"],
        "unsupported_language": ["utter_unsupported_language"],
    }.items()
}
NOT_IN_SCOPE = frozenset({"out_of_scope", "unsupported_language", "crisis"})


@dataclass
class Turn:
    """One message of an item and what the assistant did with it."""

    text: str
    expect: dict[str, Any] | None
    responses: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Outcome:
    """The judgement of one expectation."""

    item_id: str
    language: str
    text: str
    expect: dict[str, Any]
    responses: list[str]
    reply: str
    slots: dict[str, Any]

    @property
    def topic(self) -> str:
        return self.expect["topic"]

    @property
    def crisis_expected(self) -> bool:
        return bool(self.expect.get("crisis"))

    @property
    def alarm(self) -> bool:
        return bool(CRISIS_LINES & set(self.responses))

    @property
    def crisis_handled(self) -> bool:
        first = self.responses[0] if self.responses else None
        return first in CRISIS_LINES and self.slots.get("handoff_priority") == "crisis"

    @property
    def topic_right(self) -> bool:
        return bool(TOPIC_RESPONSES.get(self.topic, frozenset()) & set(self.responses))

    @property
    def mentions_right(self) -> bool:
        mentions = self.expect.get("mentions") or []
        reply = plain(self.reply)
        return not mentions or any(plain(str(m)) in reply for m in mentions)

    @property
    def answer_right(self) -> bool:
        return self.topic_right and self.mentions_right and not self.alarm

    @property
    def asked_back(self) -> bool:
        return bool(ASK_BACK & set(self.responses))

    @property
    def fell_back(self) -> bool:
        return bool(FALLBACK & set(self.responses))

    @property
    def group_right(self) -> bool:
        return self.slots.get("user_group") == self.expect.get("user_group")


def load_sets(directory: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each set file's language and items, Dutch first."""
    order = {"nl": 0, "en": 1, "fr": 2}
    sets = []
    for path in sorted(directory.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        sets.append((raw["language"], raw["items"]))
    return sorted(sets, key=lambda s: order.get(s[0], 3))


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
    rasa_url: str, token: str, sets: list[tuple[str, list[dict[str, Any]]]], concurrency: int = 4
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


def _rate(hits: int, total: int) -> str:
    return f"{hits / total:.1%} ({hits}/{total})" if total else "n/a"


@dataclass
class LanguageFigures:
    """The figures of one language's set."""

    language: str
    rows: dict[str, str]
    misses: list[Outcome]


def figures(
    language: str, outcomes: list[Outcome], identifier: LanguageIdentifier
) -> LanguageFigures:
    """Compute the reported figures of one language's outcomes."""
    in_scope = [o for o in outcomes if o.topic not in NOT_IN_SCOPE and not o.crisis_expected]
    crisis = [o for o in outcomes if o.crisis_expected]
    calm = [o for o in outcomes if not o.crisis_expected]
    grouped = [o for o in outcomes if o.expect.get("user_group")]
    rows = {
        "items judged": str(len(outcomes)),
        "right answer (in scope)": _rate(sum(o.answer_right for o in in_scope), len(in_scope)),
        "right topic (in scope)": _rate(sum(o.topic_right for o in in_scope), len(in_scope)),
        "user group right (stated)": _rate(sum(o.group_right for o in grouped), len(grouped)),
        "asks back (in scope)": _rate(sum(o.asked_back for o in in_scope), len(in_scope)),
        "falls back (in scope)": _rate(sum(o.fell_back for o in in_scope), len(in_scope)),
        "crisis recall": _rate(sum(o.crisis_handled for o in crisis), len(crisis)),
        "false alarms": _rate(sum(o.alarm for o in calm), len(calm)),
    }
    if language == "other":
        unsupported = [o for o in outcomes if o.topic == "unsupported_language"]
        rows["'I speak Dutch, English and French'"] = _rate(
            sum(o.topic_right for o in unsupported), len(unsupported)
        )
    elif language in ("en", "fr"):
        answered = [o for o in outcomes if o.reply.strip()]
        in_language = sum(
            (guess := identifier.identify(o.reply.split("\n")[0])) is not None
            and guess.language == language
            for o in answered
        )
        rows["answered in the person's language"] = _rate(in_language, len(answered))
        newcomers = [o for o in grouped if o.expect["user_group"] == "migratieachtergrond"]
        rows["newcomer group set (stated)"] = _rate(
            sum(o.group_right for o in newcomers), len(newcomers)
        )
    misses = [
        o
        for o in outcomes
        if (o.crisis_expected and not o.crisis_handled)
        or (not o.crisis_expected and o.alarm)
        or (o in in_scope and not o.answer_right)
    ]
    return LanguageFigures(language, rows, misses)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def render(all_figures: list[LanguageFigures], seconds: list[float], source: Path) -> str:
    """The report section in Markdown: one column per language."""
    languages = [f.language for f in all_figures]
    names = list(dict.fromkeys(name for f in all_figures for name in f.rows))
    lines = [
        SECTION_START,
        "## Held-out evaluation, end to end",
        "",
        f"`make eval` played every item of `{source.relative_to(PROJECT_DIR)}` as a new "
        "conversation over the REST channel against the running Rasa and action servers "
        f"({time.strftime('%Y-%m-%d')}).",
        "",
        "| figure | " + " | ".join(languages) + " |",
        "|---|" + "---|" * len(languages),
    ]
    for name in names:
        cells = [f.rows.get(name, "") for f in all_figures]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Latency of one REST call: p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p95 {_percentile(seconds, 0.95) * 1000:.0f} ms over {len(seconds)} messages "
        "(four conversations at a time).",
        SECTION_END,
    ]
    return "\n".join(lines) + "\n"


def write_section(section: str, report: Path = REPORT) -> None:
    """Put the section into the report, replacing an earlier one."""
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    if SECTION_START in text and SECTION_END in text:
        before, rest = text.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1].lstrip("\n")
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    report.write_text(text, encoding="utf-8")


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
