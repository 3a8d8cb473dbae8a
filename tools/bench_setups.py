"""The three set-ups the benchmark compares, each built, started, measured and stopped."""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import time
import uuid
from pathlib import Path

from handoff.accounts import add_counsellor
from knowledge.build import build_store
from ops.launcher import rasa_command, start_stack
from ops.processes import free_port, stop_processes
from settings import PROJECT_DIR, Settings, load_settings
from tools import baseline
from tools.bench_measures import Result, delivery_latencies, measure_load, rss_tree
from tools.load import first_answer

ALWAYS_OPEN = "weekly:\n" + "".join(
    f"  {day}: ['00:00-24:00']\n"
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
BENCH_COUNSELLOR = "benchmark"
BENCH_PASSWORD = "benchmark wachtwoord " + uuid.uuid4().hex
SCALED_DATABASE = "wegwijzer_bench"
SCALED_REDIS = "redis://127.0.0.1:6379/7"


def run_baseline(args: argparse.Namespace, work: Path) -> Result:
    """A ``rasa init --no-prompt`` bot, trained and served by plain ``rasa run``."""
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
        measure_load(result, url, args)
        result.rss_mb = rss_tree(process.pid)
    finally:
        stop_processes([process])
    return result


def train_seconds(work: Path) -> float:
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
    """This assistant, embedded (SQLite) or scaled (PostgreSQL, Redis, two workers)."""
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
    add_counsellor(settings.handoff_url, BENCH_COUNSELLOR, BENCH_PASSWORD)
    print(f"{name}: starting ...", flush=True)
    started = time.monotonic()
    with open(work / f"{name}.log", "wb") as log:
        stack = start_stack(settings, log=log)
    try:
        if not asyncio.run(first_answer(settings.rasa_url, 300)):
            raise RuntimeError(f"the assistant did not answer; see {work / name}.log")
        result.cold_start_s = time.monotonic() - started
        measure_load(result, settings.rasa_url, args)
        result.rss_mb = rss_tree(stack.processes[1].pid)
        result.delivery_ms = asyncio.run(
            delivery_latencies(settings, args.deliveries, BENCH_COUNSELLOR, BENCH_PASSWORD)
        )
    finally:
        stack.stop()
    return result


def postgres_server() -> str:
    """The PostgreSQL server of the scaled runs (BENCH_POSTGRES), without a database."""
    return load_settings().bench_postgres_url
