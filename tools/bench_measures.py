"""What the benchmark measures on a running set-up: load, memory, counsellor delivery."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from settings import Settings
from tests.widget_socket import open_conversation
from tools.load import Run, closed_loop, long_conversation, open_loop

CONCURRENCY = (1, 10, 20, 50)


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


def measure_load(result: Result, url: str, args: argparse.Namespace) -> None:
    """The closed loops, the open loop and the long conversation against ``url``."""
    asyncio.run(closed_loop(url, 2, 5))  # warm-up, not counted
    for people in CONCURRENCY:
        result.closed[people] = asyncio.run(closed_loop(url, people, args.seconds))
        print(f"  {result.name}: {people} people {result.closed[people].throughput:.1f} msg/s")
    result.open = asyncio.run(open_loop(url, args.rate, args.open_seconds))
    result.long = asyncio.run(long_conversation(url, args.long))


async def delivery_latencies(
    settings: Settings, messages: int, username: str, password: str
) -> list[float]:
    """Counsellor POST -> message on the widget's socket, in ms."""
    socket_url = settings.rasa_url.replace("http", "ws", 1) + "/webhooks/widget/ws"
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        widget, conversation = await open_conversation(http, socket_url)
        await widget.send_json({"type": "message", "text": "ik wil met een mens praten"})
        async with http.post(
            f"{settings.web_url}/api/login",
            json={"username": username, "password": password},
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
