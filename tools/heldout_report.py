"""The held-out evaluation's figures per language, and its section of ``docs/quality.md``."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bot.nlu.language import LanguageIdentifier
from settings import PROJECT_DIR
from tools.heldout_judgement import NOT_IN_SCOPE, Outcome

REPORT = PROJECT_DIR / "docs" / "quality.md"
SECTION_START = "<!-- held-out evaluation: start -->"
SECTION_END = "<!-- held-out evaluation: end -->"


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
    unstated = [o for o in in_scope if not o.expect.get("user_group")]
    rows = {
        "items judged": str(len(outcomes)),
        "right answer (in scope)": _rate(sum(o.answer_right for o in in_scope), len(in_scope)),
        "right topic (in scope)": _rate(sum(o.topic_right for o in in_scope), len(in_scope)),
        "user group right (stated)": _rate(sum(o.group_right for o in grouped), len(grouped)),
        # A group set where the message gives no clue: the person is never asked who they are.
        "group guessed (none stated)": _rate(
            sum(bool(o.slots.get("user_group")) for o in unstated), len(unstated)
        ),
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
        handled = [o for o in crisis if o.crisis_handled]
        lines_in_language = sum(
            (guess := identifier.identify(o.reply.split("\n")[0])) is not None
            and guess.language == language
            for o in handled
        )
        rows["crisis lines in the person's language"] = _rate(lines_in_language, len(handled))
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
        "(two conversations at a time, on the same 2-core machine as the servers).",
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
