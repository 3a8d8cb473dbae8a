"""REST latency benchmark: ``python -m bot.benchmark`` (``make bench``).

Starts the assistant as ``make run`` does (Rasa server, action server, SQLite tracker
store), then plays fresh anonymous conversations of ten realistic Dutch messages, one
after the other, and prints cold start and per-message latency (p50/p95/p99).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from bot.launcher import free_port, start_stack
from settings import Settings, load_settings

CONVERSATION = (
    "hallo",
    "ik zit in het 6de jaar aso",
    "ik weet niet wat ik moet studeren",
    "is verpleegkundige een knelpuntberoep",
    "/occupation_education",
    "hoeveel verdient een lasser",
    "ik wil met een mens praten",
    "is dit gesprek anoniem",
    "welke jobs in de bouw hebben toekomst",
    "bedankt, doei",
)


def _send(url: str, sender: str, message: str) -> float:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"content-type": "application/json"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.benchmark")
    parser.add_argument("--conversations", type=int, default=30)
    args = parser.parse_args(argv)

    model = load_settings().model_path
    with tempfile.TemporaryDirectory() as var_dir:
        settings = Settings(
            rasa_port=free_port(),
            action_port=free_port(),
            rasa_token=uuid.uuid4().hex,
            var_dir=Path(var_dir),
            model_path=model,
        )
        started = time.monotonic()
        with open(Path(var_dir) / "stack.log", "wb") as log:
            stack = start_stack(settings, log=log)
        cold_start = time.monotonic() - started
        try:
            _send(settings.rasa_url, "warm-up", "hallo")
            latencies = [
                _send(settings.rasa_url, uuid.uuid4().hex, message)
                for _ in range(args.conversations)
                for message in CONVERSATION
            ]
        finally:
            stack.stop()

    print(f"cold start (processes started to both ready): {cold_start:.1f} s")
    print(
        f"REST latency over {len(latencies)} messages ({args.conversations} conversations "
        f"of {len(CONVERSATION)}, one user at a time):"
    )
    print(
        f"  p50 {statistics.median(latencies):.1f} ms   p95 {_percentile(latencies, 0.95):.1f} ms"
        f"   p99 {_percentile(latencies, 0.99):.1f} ms   max {max(latencies):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
