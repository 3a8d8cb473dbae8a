"""How fast the supervisors' dashboard loads a year of aggregates (issue 18's target: at
most 500 ms): a busy year in a statistics database, the real web server, a supervisor
logged in, the page and the CSV export of that year timed over HTTP.

python -m tools.bench_dashboard [--database sqlite|postgresql] [--runs 5]

The year is as busy as tests/analytics/test_views.py's: six cells in each of its 8,760
hours, of 1-9 conversations each (about 260,000 conversations), with waits and ratings.
SQLite is a temporary file; PostgreSQL is this machine's (BENCH_POSTGRES), database
wegwijzer_bench_dashboard, made empty at each run. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import insert
from sqlalchemy.engine import make_url

import database
from analytics.models import COUNTS, DIMENSIONS, Base, DailyCell, HourlyCell
from channels.console.app import init_app
from channels.console.config import ConsoleConfig
from handoff.accounts import add_counsellor
from ops.scaled_setup import recreate_database
from settings import load_settings

YEAR = dt.datetime(2025, 1, 1)
GROUPS = ("scholier", "werkzoekende", "werkende", "migratieachtergrond", "ouder_of_begeleider")
TOPICS = ("find_work", "study_choice_higher", "career_guidance", "learn_dutch")
PASSWORD = "een wachtwoord voor de meting"


def busy_year(seed: int = 18) -> tuple[list[dict], list[dict]]:
    """The hourly cells of a busy year and the daily cells summed from them."""
    rng = random.Random(seed)
    hourly: dict[tuple, dict] = {}
    for hour in range(365 * 24):
        at = YEAR + dt.timedelta(hours=hour)
        for _ in range(6):
            labels = {"channel": rng.choice(["widget", "telegram"]),
                      "user_group": rng.choice(GROUPS), "topic": rng.choice(TOPICS),
                      "language": rng.choice(["nl", "nl", "en", "fr"])}  # fmt: skip
            n = rng.randint(1, 9)
            asked = rng.randint(0, n // 2)
            counts = {name: 0 for name in COUNTS}
            counts.update(conversations=n, messages=n * rng.randint(2, 8),
                          handoff_requests=asked, handoffs_queued=asked, handoffs_claimed=asked,
                          handoffs_finished=asked, wait_5m=asked, rating_4=asked // 2)  # fmt: skip
            hourly.setdefault((at, *labels.values()), {"hour": at, **labels, **counts})
    daily: dict[tuple, dict] = {}
    for cell in hourly.values():
        day = cell["hour"].replace(hour=0)
        key = (day, *(cell[name] for name in DIMENSIONS))
        summed = daily.setdefault(
            key, {"day": day, **{n: cell[n] for n in DIMENSIONS}, **{n: 0 for n in COUNTS}}
        )
        for name in COUNTS:
            summed[name] += cell[name]
    return list(hourly.values()), list(daily.values())


def statistics_database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'statistics.db'}"
    url = make_url(load_settings().bench_postgres_url).set(database="wegwijzer_bench_dashboard")
    url = url.render_as_string(hide_password=False)
    recreate_database(url)
    return url


async def measure(statistics_url: str, handoff_url: str, runs: int) -> dict[str, list[float]]:
    """Seconds per request of the year's page and of its CSV export by day."""
    config = ConsoleConfig(database_url=handoff_url, rasa_url="http://127.0.0.1:9",
                           rasa_token="bench", statistics_url=statistics_url)  # fmt: skip
    client = TestClient(TestServer(await init_app(config)))
    await client.start_server()
    timings: dict[str, list[float]] = {"page": [], "csv": []}
    try:
        login = await client.post("/api/login", json={"username": "sam", "password": PASSWORD})
        assert login.status == 200, await login.text()
        year = "from=2025-01-01&to=2025-12-31"
        for name, path in (("page", f"/console/statistics?{year}"),
                           ("csv", f"/api/statistics.csv?{year}&period=day")):  # fmt: skip
            for _ in range(runs):
                started = time.perf_counter()
                response = await client.get(path)
                await response.read()
                timings[name].append(time.perf_counter() - started)
                assert response.status == 200, await response.text()
    finally:
        await client.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        statistics_url = statistics_database(args.database, Path(folder))
        handoff_url = f"sqlite:///{Path(folder) / 'handoff.db'}"
        add_counsellor(handoff_url, "sam", PASSWORD, role="supervisor")
        hourly, daily = busy_year()
        with database.opened(statistics_url) as engine:
            Base.metadata.drop_all(engine)
            Base.metadata.create_all(engine)
            with engine.begin() as connection:
                connection.execute(insert(HourlyCell), hourly)
                connection.execute(insert(DailyCell), daily)
        conversations = sum(cell["conversations"] for cell in daily)
        print(f"a year: {conversations:,} conversations, {len(hourly):,} hourly and "
              f"{len(daily):,} daily cells ({args.database})")  # fmt: skip
        timings = asyncio.run(measure(statistics_url, handoff_url, args.runs))
        database.dispose_engines()
    for name, seconds in timings.items():
        what = "dashboard page" if name == "page" else "CSV export by day"
        print(f"{what}, a year: median {statistics.median(seconds) * 1000:.0f} ms, "
              f"first {seconds[0] * 1000:.0f} ms, slowest {max(seconds) * 1000:.0f} ms "
              f"({len(seconds)} runs; target 500 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
