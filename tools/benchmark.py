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
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from handoff.accounts import add_counsellor
from knowledge.build import build_store
from ops.launcher import rasa_command, start_stack
from ops.processes import free_port, stop_processes
from settings import PROJECT_DIR, Settings, load_settings
from tools import baseline
from tools.load import Run, closed_loop, first_answer, long_conversation, open_loop, percentile

ALWAYS_OPEN = "weekly:\n" + "".join(
    f"  {day}: ['00:00-24:00']\n"
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
BENCH_PASSWORD = "benchmark wachtwoord " + uuid.uuid4().hex
CONCURRENCY = (1, 10, 20, 50)
SCALED_DATABASE = "wegwijzer_bench"
SCALED_REDIS = "redis://127.0.0.1:6379/7"
REPORT = PROJECT_DIR / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Result:
    """Everything measured for one set-up."""

    name: str
    training_s: float | None = None
    cold_start_s: float = float("nan")
    rss_mb: list[float] = field(default_factory=list)
    closed: dict[int, Run] = field(default_factory=dict)
    open: Run | None = None
    long: Run | None = None
    delivery_ms: list[float] = field(default_factory=list)

    @property
    def saturated(self) -> float:
        return max(run.throughput for run in self.closed.values())

    def long_ratio(self) -> tuple[float, float, float]:
        """Median latency of messages 3-7 and of the last five, and their ratio."""
        values = self.long.latencies
        early, late = statistics.median(values[2:7]), statistics.median(values[-5:])
        return early, late, late / early


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_tree(pid: int) -> list[float]:
    """Resident memory (MB) of a Rasa server process and of each of its Sanic workers."""
    return [_rss_mb(p) for p in _process_tree(pid)]


def _process_tree(pid: int) -> list[int]:
    """``pid`` and the children that run the same command (Sanic workers)."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    children = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    return [pid] + [int(c) for c in children if Path(f"/proc/{c}/cmdline").read_bytes() == command]


def _load(result: Result, url: str, args: argparse.Namespace) -> None:
    asyncio.run(closed_loop(url, 2, 5))  # warm-up, not counted
    for people in CONCURRENCY:
        result.closed[people] = asyncio.run(closed_loop(url, people, args.seconds))
        print(f"  {result.name}: {people} people {result.closed[people].throughput:.1f} msg/s")
    result.open = asyncio.run(open_loop(url, args.rate, args.open_seconds))
    result.long = asyncio.run(long_conversation(url, args.long))


def run_baseline(args: argparse.Namespace, work: Path) -> Result:
    result = Result("stock rasa init")
    folder = work / "baseline"
    folder.mkdir()
    log = work / "baseline.log"
    print("baseline: rasa init --no-prompt (trains the starter bot) ...", flush=True)
    result.training_s = baseline.build(folder, log)
    port = free_port()
    started = time.monotonic()
    process = baseline.start(folder, port, log)
    try:
        url = f"http://127.0.0.1:{port}"
        if not asyncio.run(first_answer(url, 300)):
            raise RuntimeError(f"the baseline did not answer; see {log}")
        result.cold_start_s = time.monotonic() - started
        _load(result, url, args)
        result.rss_mb = rss_tree(process.pid)
    finally:
        stop_processes([process])
    return result


def _train_seconds(work: Path) -> float:
    """Train this assistant from scratch into ``work`` (the model in use is untouched)."""
    started = time.monotonic()
    with open(work / "train.log", "ab") as log:
        subprocess.run(
            rasa_command(
                "train", "--config", "bot/config.yml", "--domain", "bot/domain",
                "--data", "data/nlu", "bot/rules", "bot/stories", "--out", str(work / "models"),
            ),
            # No training cache: every component is trained, as for the baseline.
            cwd=PROJECT_DIR, env={**baseline.quiet_env(), "RASA_MAX_CACHE_SIZE": "0"},
            stdout=log, stderr=log, check=True,
        )  # fmt: skip
    return time.monotonic() - started


def bench_settings(work: Path, name: str, **overrides) -> Settings:
    """Settings for a stack in ``work/name`` on free ports, always open, no rate limits."""
    var_dir = work / name
    var_dir.mkdir()
    hours = var_dir / "opening_hours.yml"
    hours.write_text(ALWAYS_OPEN, encoding="utf-8")
    return Settings(
        rasa_port=free_port(),
        action_port=free_port(),
        rasa_token=uuid.uuid4().hex,
        var_dir=var_dir,
        model_path=load_settings().model_path,
        web_port=free_port(),
        opening_hours_file=hours,
        # One load generator on one address, and a 200-message conversation faster than a
        # person types: the rate limits would answer "slow down" instead of measuring.
        messages_per_address=0,
        messages_per_conversation=0,
        **overrides,
    )


def run_assistant(args: argparse.Namespace, work: Path, scaled: bool, training: float | None):
    name = "scaled" if scaled else "embedded"
    result = Result(f"assistant, {name}", training_s=training)
    if scaled:
        from ops.scaled_setup import recreate_database

        database_url = recreate_database(postgres_server() + "/" + SCALED_DATABASE)
        settings = bench_settings(
            work, name, database_url=database_url, redis_url=SCALED_REDIS, rasa_workers=2
        )
    else:
        settings = bench_settings(work, name)
    build_store(settings.knowledge_url)  # a deployed service starts with its store built
    add_counsellor(settings.handoff_url, "benchmark", BENCH_PASSWORD)
    print(f"{name}: starting ...", flush=True)
    started = time.monotonic()
    with open(work / f"{name}.log", "wb") as log:
        stack = start_stack(settings, log=log)
    try:
        if not asyncio.run(first_answer(settings.rasa_url, 300)):
            raise RuntimeError(f"the assistant did not answer; see {work / name}.log")
        result.cold_start_s = time.monotonic() - started
        _load(result, settings.rasa_url, args)
        result.rss_mb = rss_tree(stack.processes[1].pid)
        result.delivery_ms = asyncio.run(_delivery_latencies(settings, args.deliveries))
    finally:
        stack.stop()
    return result


def postgres_server() -> str:
    """The PostgreSQL server of the scaled runs (BENCH_POSTGRES), without a database."""
    return load_settings().bench_postgres_url


async def _delivery_latencies(settings: Settings, messages: int) -> list[float]:
    """Counsellor POST -> message on the widget's socket, in ms."""
    conversation = uuid.uuid4().hex
    socket_url = settings.rasa_url.replace("http", "ws", 1) + "/webhooks/widget/ws"
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        widget = await http.ws_connect(f"{socket_url}?conversation={conversation}")
        await widget.send_json({"type": "message", "text": "ik wil met een mens praten"})
        async with http.post(
            f"{settings.web_url}/api/login",
            json={"username": "benchmark", "password": BENCH_PASSWORD},
        ) as response:
            csrf = (await response.json())["csrf_token"]
        headers = {"X-CSRF-Token": csrf}
        api = f"{settings.web_url}/api/conversations/{conversation}"
        for _ in range(50):  # the action server queues the conversation
            async with http.post(f"{api}/claim", headers=headers) as response:
                if response.status == 200:
                    break
            await asyncio.sleep(0.1)
        latencies = []
        for i in range(messages):
            text = f"bericht {i} van de begeleider"
            started = time.perf_counter()
            async with http.post(
                f"{api}/messages", json={"text": text}, headers=headers
            ) as response:
                response.raise_for_status()
            while True:
                frame = json.loads((await widget.receive(timeout=10)).data)
                if frame.get("type") == "message" and frame.get("text") == text:
                    break
            latencies.append((time.perf_counter() - started) * 1000)
        await widget.close()
    return latencies


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
        training = None if args.no_training else _train_seconds(work)
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
