"""Side-by-side benchmark: ``python -m tools.benchmark`` (``make bench``).

In one run on this machine, with the load generator on the same machine:

1. baseline: a ``rasa init --no-prompt`` bot with Rasa's default configuration, served by
   plain ``rasa run`` (REST channel), built in a temporary folder;
2. embedded: this assistant as ``make run`` starts it (SQLite, one Rasa process);
3. scaled: this assistant as ``make run-scaled`` starts it (PostgreSQL, Redis, two Sanic
   workers per server).

Each gets the same load (tools/load.py): closed loops of 1, 10, 20 and 50 people playing
fresh ten-message Dutch conversations, an open loop at 10 messages/s, one conversation of
200 messages, plus training time, cold start (processes started to first answer) and
resident memory per Rasa process. For this assistant also the counsellor-to-widget
delivery time. The table is printed and written into docs/performance.md.

The set-ups are built and started in ``tools.bench_setups``, measured with
``tools.bench_measures`` and reported by ``tools.bench_report``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from settings import PROJECT_DIR
from tools.bench_report import REPORT, table, targets, write_report
from tools.bench_setups import run_assistant, run_baseline, train_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmark")
    parser.add_argument("--seconds", type=float, default=20, help="per closed-loop level")
    parser.add_argument("--rate", type=float, default=10, help="open loop, messages/s")
    parser.add_argument("--open-seconds", type=float, default=30)
    parser.add_argument("--long", type=int, default=200, help="messages in one conversation")
    parser.add_argument("--deliveries", type=int, default=100)
    parser.add_argument("--no-training", action="store_true", help="skip timing our training")
    parser.add_argument("--no-report", action="store_true", help="do not write the docs")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="wegwijzer-bench-") as folder:
        work = Path(folder)
        results = [run_baseline(args, work)]
        training = None if args.no_training else train_seconds(work)
        results.append(run_assistant(args, work, scaled=False, training=training))
        results.append(run_assistant(args, work, scaled=True, training=training))

    cpu = os.cpu_count()
    header = (
        f"Measured {dt.date.today().isoformat()} by `make bench` on this machine "
        f"({cpu} cores), load generator on the same machine; closed-loop levels "
        f"{args.seconds:g} s each.\n"
    )
    report = (
        f"{header}\n{table(results, args)}\n\n"
        f"Targets (ratios against the baseline of the same run):\n\n{targets(results, args)}"
    )
    print("\n" + report)
    if not args.no_report:
        write_report(report)
        print(f"\nwritten to {REPORT.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
