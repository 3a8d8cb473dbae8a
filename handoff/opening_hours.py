"""When counsellors answer: weekly hours in Europe/Brussels with holiday exceptions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

DEFAULT_FILE = Path(__file__).with_name("opening_hours.yml")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Range = tuple[dt.time, dt.time]


def _ranges(values: list[str]) -> list[Range]:
    ranges = []
    for value in values:
        start, end = (
            dt.time.max if part.strip() == "24:00" else dt.time.fromisoformat(part.strip())
            for part in value.split("-")
        )
        ranges.append((start, end))
    return ranges


@dataclass(frozen=True)
class OpeningHours:
    """Weekly opening hours with exceptions for single dates."""

    timezone: ZoneInfo
    weekly: dict[int, list[Range]]
    exceptions: dict[dt.date, list[Range]] = field(default_factory=dict)

    def ranges_on(self, day: dt.date) -> list[Range]:
        if day in self.exceptions:
            return self.exceptions[day]
        return self.weekly.get(day.weekday(), [])

    def is_open(self, now: dt.datetime) -> bool:
        local = now.astimezone(self.timezone)
        return any(start <= local.time() < end for start, end in self.ranges_on(local.date()))

    def next_opening(self, now: dt.datetime, horizon_days: int = 60) -> dt.datetime | None:
        """The next moment the chat opens (local time), or None within the horizon."""
        local = now.astimezone(self.timezone)
        for offset in range(horizon_days):
            day = local.date() + dt.timedelta(days=offset)
            for start, _end in sorted(self.ranges_on(day)):
                opening = dt.datetime.combine(day, start, tzinfo=self.timezone)
                if opening > local:
                    return opening
        return None


def load_opening_hours(path: Path = DEFAULT_FILE) -> OpeningHours:
    """Read an opening-hours file such as ``handoff/opening_hours.yml``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    weekly = {WEEKDAYS.index(day): _ranges(values) for day, values in data["weekly"].items()}
    exceptions = {
        (day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))): _ranges(values)
        for day, values in (data.get("exceptions") or {}).items()
    }
    return OpeningHours(ZoneInfo(data.get("timezone", "Europe/Brussels")), weekly, exceptions)
