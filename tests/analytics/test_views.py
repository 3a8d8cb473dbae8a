"""Views and exports: small cells suppressed everywhere, percentiles from the buckets, a
year of aggregates read fast."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest
from sqlalchemy import insert

from analytics.export import write_csv
from analytics.models import COUNTS, DIMENSIONS, WAIT_BUCKETS, DailyCell, HourlyCell
from analytics.views import MIN_CONVERSATIONS, percentile, suppress_small_cells, table, tables

DAY = dt.datetime(2026, 3, 2)


def _stored(session, hourly: list[dict]) -> None:
    """Hourly cells and the daily cells summed from them, as the consumer writes them."""
    daily: dict[tuple, dict] = {}
    for cell in hourly:
        day = cell["hour"].replace(hour=0)
        key = (day, *(cell[name] for name in DIMENSIONS))
        summed = daily.setdefault(key, {"day": day, **{n: cell[n] for n in DIMENSIONS},
                                        **{n: 0 for n in COUNTS}})  # fmt: skip
        for name in COUNTS:
            summed[name] += cell[name]
    session.execute(insert(HourlyCell), hourly)
    session.execute(insert(DailyCell), list(daily.values()))


def _cell(hour: dt.datetime, group: str, conversations: int, **counts) -> dict:
    labels = {"channel": "widget", "user_group": group, "topic": "find_work", "language": "nl"}
    return {"hour": hour, **labels, **{n: 0 for n in COUNTS}, "conversations": conversations,
            **counts}  # fmt: skip


def test_a_cell_under_five_conversations_shows_no_figure():
    rows = [
        {
            "period": "2026-03-02",
            "user_group": "werkzoekende",
            "conversations": 40,
            "messages": 300,
        },
        {"period": "2026-03-02", "user_group": "nieuwkomer", "conversations": 4, "messages": 22},
        {"period": "2026-03-02", "user_group": "ouder", "conversations": 9, "messages": 50},
    ]
    shown = suppress_small_cells(rows, keys=["user_group"])
    small = shown[1]
    assert small["suppressed"] and small["user_group"] == "nieuwkomer"
    assert small["conversations"] is None and small["messages"] is None
    # alone it would follow from the day's total: the next smallest goes with it
    assert shown[2]["suppressed"] and shown[2]["conversations"] is None
    assert not shown[0]["suppressed"] and shown[0]["conversations"] == 40


def test_cells_of_five_or_more_are_shown():
    rows = [{"period": "all", "conversations": MIN_CONVERSATIONS, "messages": 7}]
    assert suppress_small_cells(rows) == [{**rows[0], "suppressed": False}]


def test_percentiles_come_from_the_waiting_time_buckets():
    row = {"wait_1m": 5, "wait_2m": 5}  # 10 waits, half under a minute
    assert percentile(row, WAIT_BUCKETS, 0.5) == pytest.approx(60)
    assert percentile(row, WAIT_BUCKETS, 0.9) == pytest.approx(108)
    assert percentile({"wait_longer": 3}, WAIT_BUCKETS, 0.9) == 7200
    assert percentile({}, WAIT_BUCKETS, 0.5) is None


def test_every_view_and_export_suppresses_small_cells(sessions):
    with sessions.begin() as session:
        _stored(session, [
            _cell(DAY.replace(hour=9), "werkzoekende", 6, messages=30, wait_2m=3),
            _cell(DAY.replace(hour=10), "werkzoekende", 6, messages=20),
            _cell(DAY.replace(hour=9), "nieuwkomer", 3, messages=12, crisis_flags=1),
            _cell(DAY.replace(hour=11), "ouder_of_begeleider", 8, messages=40),
        ])  # fmt: skip
    end = DAY + dt.timedelta(days=1)
    with sessions() as session:
        by_group = table(session, DAY, end, "day", ["user_group"])
        by_hour = table(session, DAY, end, "hour")
        out = io.StringIO()
        write_csv(session, out, DAY, end, "day", ["user_group"])
    groups = {row["user_group"]: row for row in by_group}
    assert (
        groups["werkzoekende"]["conversations"] == 12 and groups["werkzoekende"]["messages"] == 50
    )
    assert groups["nieuwkomer"]["suppressed"] and groups["nieuwkomer"]["crisis_flags"] is None
    assert groups["ouder_of_begeleider"]["suppressed"]  # else the day's total tells
    assert [row["conversations"] for row in by_hour] == [9, 6, 8]
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("period,user_group,suppressed,conversations,messages")
    [newcomers] = [line for line in lines if ",nieuwkomer," in line]
    assert newcomers.split(",")[2:] == ["1"] + [""] * 16
    assert [line for line in lines if ",werkzoekende,0,12,50," in line]


def test_waits_and_ratings_of_fewer_than_five_people_show_no_figure(sessions):
    """A shown row of 12 conversations in which 3 waited and 3 rated shows neither waiting
    times nor ratings (they would describe 3 people); with 5 of each it shows both, in every
    view and the export."""
    with sessions.begin() as session:
        _stored(session, [
            _cell(DAY.replace(hour=9), "werkzoekende", 12, messages=50, handoffs_claimed=3,
                  wait_2m=3, wait_seconds=270, rating_4=2, rating_5=1),
            _cell(DAY.replace(hour=9), "nieuwkomer", 12, messages=40, handoffs_claimed=5,
                  wait_2m=5, wait_seconds=450, rating_4=3, rating_5=2),
        ])  # fmt: skip
    end = DAY + dt.timedelta(days=1)
    views = {"groups": (True, ("user_group",)), "days": (False, ())}
    with sessions() as session:
        by_group = table(session, DAY, end, "all", ["user_group"])
        together = tables(session, DAY, end, "day", views)
        out = io.StringIO()
        write_csv(session, out, DAY, end, "all", ["user_group"])
    assert together["groups"] == by_group
    groups = {row["user_group"]: row for row in by_group}
    few, five = groups["werkzoekende"], groups["nieuwkomer"]
    assert not few["suppressed"] and few["conversations"] == 12 and few["handoffs_claimed"] == 3
    wait_figures = ("wait_p50_seconds", "wait_p90_seconds", "wait_seconds", "wait_2m")
    rating_figures = ("ratings", "mean_rating", "rating_4", "rating_5")
    assert [few[name] for name in wait_figures + rating_figures] == [None] * 8
    assert five["wait_p50_seconds"] == pytest.approx(90)
    assert five["wait_p90_seconds"] == pytest.approx(114)
    assert (five["ratings"], five["mean_rating"]) == (5, pytest.approx(4.4))
    # the day together: 8 waited, 8 rated
    [day] = together["days"]
    assert day["wait_p50_seconds"] == pytest.approx(90) and day["ratings"] == 8
    rows = {row["user_group"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    csv_figures = ("wait_p50_seconds", "wait_p90_seconds", "ratings", "mean_rating")
    assert [rows["werkzoekende"][name] for name in csv_figures] == [""] * 4
    assert rows["werkzoekende"]["handoffs_claimed"] == "3"
    assert [rows["nieuwkomer"][name] for name in csv_figures] == ["90", "114", "5", "4.4"]


def test_a_year_of_aggregates_is_read_whole(sessions):
    """A busy year: six cells in each of its 8,760 hours, of 1-9 conversations each (about
    260,000 conversations, 52,000 hourly and 26,000 daily cells), read by day and group and
    by month and topic. How fast is measured by `make bench` (tools.bench_dashboard), not
    asserted here: a timed test fails on a loaded machine, not on slow code."""
    rng = random.Random(18)
    groups = [
        "leerling_secundair",
        "werkzoekende",
        "werknemer",
        "nieuwkomer",
        "ouder_of_begeleider",
    ]
    topics = ["find_work", "study_choice_higher", "career_guidance", "learn_dutch"]
    start = dt.datetime(2025, 1, 1)
    rows = []
    for hour in range(365 * 24):
        at = start + dt.timedelta(hours=hour)
        for _ in range(6):
            rows.append({
                "hour": at, "channel": rng.choice(["widget", "telegram"]),
                "user_group": rng.choice(groups), "topic": rng.choice(topics),
                "language": rng.choice(["nl", "nl", "en", "fr"]), **{n: 0 for n in COUNTS},
                "conversations": rng.randint(1, 9), "messages": rng.randint(1, 60),
            })  # fmt: skip
    with sessions.begin() as session:
        _stored(session, _unique(rows))
    end = start + dt.timedelta(days=365)
    with sessions() as session:
        by_day_and_group = table(session, start, end, "day", ["user_group"])
        by_month_and_topic = table(session, start, end, "month", ["topic"])
    assert len(by_day_and_group) == 365 * len(groups) and len(by_month_and_topic) == 12 * 4


def _unique(rows: list[dict]) -> list[dict]:
    cells = {}
    for row in rows:
        key = (row["hour"], row["channel"], row["user_group"], row["topic"], row["language"])
        cells.setdefault(key, row)
    return list(cells.values())


def test_several_views_from_one_read_are_the_views_of_table(sessions):
    """``tables`` (the dashboard's one read) gives each view exactly as ``table`` does,
    suppression included."""
    other_day = DAY + dt.timedelta(days=1)
    with sessions.begin() as session:
        _stored(session, [
            _cell(DAY.replace(hour=9), "werkzoekende", 6, messages=30, wait_2m=3, rating_4=2),
            _cell(DAY.replace(hour=10), "werkzoekende", 6, messages=20),
            _cell(DAY.replace(hour=9), "nieuwkomer", 3, messages=12, crisis_flags=1),
            _cell(DAY.replace(hour=11), "ouder_of_begeleider", 8, messages=40),
            _cell(other_day.replace(hour=8), "nieuwkomer", 9, messages=9, wait_longer=2),
        ])  # fmt: skip
    end = DAY + dt.timedelta(days=2)
    views = {"days": (False, ()), "groups": (True, ("user_group",)), "total": (True, ()),
             "days_and_groups": (False, ("user_group",))}  # fmt: skip
    with sessions() as session:
        together = tables(session, DAY, end, "day", views)
        apart = {
            name: table(session, DAY, end, "all" if whole else "day", by)
            for name, (whole, by) in views.items()
        }
    assert together == apart
    assert [row["conversations"] for row in together["groups"]] == [12, 8, 12]
    first_day = {row["user_group"]: row for row in together["days_and_groups"][:3]}
    assert first_day["nieuwkomer"]["suppressed"] and first_day["ouder_of_begeleider"]["suppressed"]
