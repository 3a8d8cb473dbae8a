import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from handoff.opening_hours import load_opening_hours

BRUSSELS = ZoneInfo("Europe/Brussels")
HOURS = load_opening_hours()  # the shipped default: CLB Ch@t's hours


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=BRUSSELS)


def test_default_hours_are_those_of_clb_chat():
    assert HOURS.is_open(at(2026, 11, 23, 17, 0))  # Monday 17:00
    assert not HOURS.is_open(at(2026, 11, 23, 16, 59))
    assert not HOURS.is_open(at(2026, 11, 23, 21, 0))
    assert HOURS.is_open(at(2026, 11, 25, 14, 30))  # Wednesday afternoon
    assert not HOURS.is_open(at(2026, 11, 27, 18, 0))  # Friday
    assert not HOURS.is_open(at(2026, 11, 28, 18, 0))  # Saturday


def test_next_opening_from_a_weekend_is_monday_evening():
    opening = HOURS.next_opening(at(2026, 11, 28, 10, 0))
    assert opening == at(2026, 11, 30, 17, 0)


def test_clock_in_utc_is_read_in_brussels_time():
    # 16:30 UTC on a winter Monday is 17:30 in Brussels.
    assert HOURS.is_open(dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.timezone.utc))


def test_holiday_exception_closes_a_normal_day_and_opens_another(tmp_path: Path):
    path = tmp_path / "hours.yml"
    path.write_text(
        "timezone: Europe/Brussels\n"
        "weekly:\n  thursday: ['17:00-21:00']\n"
        "exceptions:\n  2026-12-24: []\n  2026-12-26: ['10:00-12:00']\n",
        encoding="utf-8",
    )
    hours = load_opening_hours(path)
    assert not hours.is_open(at(2026, 12, 24, 18, 0))  # a Thursday, closed
    assert hours.is_open(at(2026, 12, 26, 11, 0))  # a Saturday, open
    assert hours.next_opening(at(2026, 12, 24, 18, 0)) == at(2026, 12, 26, 10, 0)
