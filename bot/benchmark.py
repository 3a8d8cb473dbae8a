"""REST latency and counsellor delivery benchmark: ``python -m bot.benchmark`` (``make bench``).

Starts the assistant as ``make run`` does (Rasa server, action server, web server, SQLite),
then plays fresh anonymous conversations of ten realistic Dutch messages, one after the
other, and prints cold start and per-message latency (p50/p95/p99). Then a person asks for
a human over the widget's WebSocket, a counsellor claims the conversation through the
console API, and the time from each counsellor POST to the message arriving on the
widget's socket is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import aiohttp

from bot.launcher import free_port, start_stack
from handoff.accounts import add_counsellor
from settings import Settings, load_settings

ALWAYS_OPEN = "weekly:\n" + "".join(
    f"  {day}: ['00:00-24:00']\n"
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
BENCH_PASSWORD = "benchmark wachtwoord " + uuid.uuid4().hex

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.benchmark")
    parser.add_argument("--conversations", type=int, default=30)
    parser.add_argument("--deliveries", type=int, default=100)
    args = parser.parse_args(argv)

    model = load_settings().model_path
    with tempfile.TemporaryDirectory() as var_dir:
        hours = Path(var_dir) / "opening_hours.yml"
        hours.write_text(ALWAYS_OPEN, encoding="utf-8")
        settings = Settings(
            rasa_port=free_port(),
            action_port=free_port(),
            rasa_token=uuid.uuid4().hex,
            var_dir=Path(var_dir),
            model_path=model,
            web_port=free_port(),
            opening_hours_file=hours,
            messages_per_address=0,  # the load generator is one address
        )
        add_counsellor(settings.handoff_url, "benchmark", BENCH_PASSWORD)
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
            deliveries = asyncio.run(_delivery_latencies(settings, args.deliveries))
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
    print(
        f"counsellor message delivery over {len(deliveries)} messages (console POST -> widget "
        f"socket): p50 {statistics.median(deliveries):.1f} ms   "
        f"p95 {_percentile(deliveries, 0.95):.1f} ms   max {max(deliveries):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
