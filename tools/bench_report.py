"""The benchmark's figures as a Markdown table, its targets, and docs/performance.md."""

from __future__ import annotations

import argparse
import statistics

from settings import PROJECT_DIR
from tools.bench_measures import CONCURRENCY, Result
from tools.load import percentile

REPORT = PROJECT_DIR / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _fmt(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None or value != value else f"{value:.{digits}f}"


def table(results: list[Result], args: argparse.Namespace) -> str:
    """The side-by-side figures as a Markdown table."""
    head = "| | " + " | ".join(r.name for r in results) + " |"
    rows = [head, "|---" * (len(results) + 1) + "|"]

    def row(label: str, values: list[str]) -> None:
        rows.append(f"| {label} | " + " | ".join(values) + " |")

    row("training time (s)", [_fmt(r.training_s) for r in results])
    row(
        "cold start, processes started to first answer (s)", [_fmt(r.cold_start_s) for r in results]
    )
    row(
        "resident memory per Rasa process (MB)",
        [" / ".join(_fmt(m, 0) for m in r.rss_mb) for r in results],
    )
    for people in CONCURRENCY:
        row(
            f"closed loop, {people} people: msg/s; p50 / p95 / p99 ms",
            [
                f"{_fmt(r.closed[people].throughput)}; {_fmt(r.closed[people].p50, 0)} / "
                f"{_fmt(r.closed[people].p(0.95), 0)} / {_fmt(r.closed[people].p(0.99), 0)}"
                + (f" ({r.closed[people].errors} errors)" if r.closed[people].errors else "")
                for r in results
            ],
        )
    row("saturated throughput (msg/s)", [_fmt(r.saturated) for r in results])
    row(
        f"open loop {args.rate:g} msg/s for {args.open_seconds:g} s: p50 / p95 ms",
        [
            f"{_fmt(r.open.p50, 0)} / {_fmt(r.open.p(0.95), 0)}"
            + (f" ({r.open.errors} errors)" if r.open.errors else "")
            for r in results
        ],
    )
    row(
        f"one conversation of {args.long}: messages 3-7 / last 5, median ms (ratio)",
        [
            "{:.0f} / {:.0f} ({:.2f}x)".format(*r.long_ratio()) if r.long.latencies else "n/a"
            for r in results
        ],
    )
    row(
        "counsellor message to widget: p50 / p95 ms",
        [
            f"{_fmt(statistics.median(r.delivery_ms), 0)} / "
            f"{_fmt(percentile(r.delivery_ms, 0.95), 0)}"
            if r.delivery_ms
            else "n/a"
            for r in results
        ],
    )
    return "\n".join(rows)


def targets(results: list[Result], args: argparse.Namespace) -> str:
    """The issue's targets, met or not, as ratios against the baseline of this run."""
    base, embedded, scaled = results
    lines = []

    def check(label: str, value: float, limit: float, higher_is_better: bool) -> None:
        met = value >= limit if higher_is_better else value <= limit
        sign = ">=" if higher_is_better else "<="
        lines.append(
            f"- {label}: {value:.2f} (target {sign} {limit:g}) - {'met' if met else 'MISSED'}"
        )

    check("embedded throughput / baseline", embedded.saturated / base.saturated, 1.5, True)
    check("scaled throughput / baseline", scaled.saturated / base.saturated, 3.0, True)
    for r in (embedded, scaled):
        check(f"{r.name}: p95 at {args.rate:g} msg/s (ms)", r.open.p(0.95), 250, False)
        check(f"{r.name}: last message / message 5", r.long_ratio()[2], 1.2, False)
        check(f"{r.name}: cold start (s)", r.cold_start_s, 20, False)
        check(f"{r.name}: largest Rasa process (MB)", max(r.rss_mb), 1024, False)
    check("scaled: counsellor-to-widget p95 (ms)", percentile(scaled.delivery_ms, 0.95), 200, False)
    lines.append(f"- baseline for reference: last message / message 5 {base.long_ratio()[2]:.2f}x")
    return "\n".join(lines)


def write_report(text: str) -> None:
    """Replace the generated part of docs/performance.md, keep the rest."""
    current = REPORT.read_text(encoding="utf-8") if REPORT.exists() else f"{START}\n{END}\n"
    before, _, rest = current.partition(START)
    _, _, after = rest.partition(END)
    REPORT.write_text(f"{before}{START}\n{text}\n{END}{after}", encoding="utf-8")
