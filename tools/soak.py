"""Soak run: ``python -m tools.soak`` (``make bench-soak``).

Starts the assistant (the scaled set-up by default), sends fresh Dutch conversations at a
steady rate for a while (10 minutes by default) and reports, minute by minute, the
messages answered, the errors (target 0) and the resident memory of the Rasa processes;
at the end the memory growth from the first minute to the last (target under 10%).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from knowledge.build import build_store
from ops.launcher import start_stack
from tools.bench_measures import rss_tree
from tools.bench_setups import SCALED_DATABASE, SCALED_REDIS, bench_settings, postgres_server
from tools.load import open_loop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.soak")
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--rate", type=float, default=5, help="messages/s")
    parser.add_argument("--embedded", action="store_true", help="SQLite, one Rasa process")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="wegwijzer-soak-") as folder:
        work = Path(folder)
        if args.embedded:
            settings = bench_settings(work, "embedded")
        else:
            from ops.scaled_setup import recreate_database

            url = recreate_database(f"{postgres_server()}/{SCALED_DATABASE}")
            settings = bench_settings(
                work, "scaled", database_url=url, redis_url=SCALED_REDIS, rasa_workers=2
            )
        build_store(settings.knowledge_url)
        with open(work / "stack.log", "wb") as log:
            stack = start_stack(settings, log=log)
        try:
            asyncio.run(open_loop(settings.rasa_url, 2, 10))  # warm-up
            first = rss_tree(stack.processes[1].pid)
            print(f"{'minute':>6} {'answered':>9} {'errors':>7} {'p95 ms':>7}  Rasa RSS MB")
            print(f"{0:>6} {'':>9} {'':>7} {'':>7}  {' / '.join(f'{m:.0f}' for m in first)}")
            errors = 0
            last = first
            for minute in range(1, args.minutes + 1):
                run = asyncio.run(open_loop(settings.rasa_url, args.rate, 60))
                errors += run.errors
                last = rss_tree(stack.processes[1].pid)
                print(
                    f"{minute:>6} {len(run.latencies):>9} {run.errors:>7} {run.p(0.95):>7.0f}"
                    f"  {' / '.join(f'{m:.0f}' for m in last)}",
                    flush=True,
                )
        finally:
            stack.stop()
    growth = (sum(last) - sum(first)) / sum(first) * 100
    print(
        f"\nerrors: {errors} (target 0); Rasa memory growth over the run: {growth:+.1f}% "
        f"(target under 10%)"
    )
    return 0 if errors == 0 and growth < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
