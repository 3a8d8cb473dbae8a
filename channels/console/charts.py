"""The geometry of the dashboard's charts, drawn as SVG by templates/charts.html.

Only positions and sizes are computed here; the markup (and every word) is in the
templates, so the charts need no script and no inline style (the console's CSP). A figure
that is suppressed (None) gets a low grey stub, so that a gap is not read as zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

STUB = 3.0  # height (or width) of a suppressed figure's mark
LABEL_WIDTH = 300.0  # horizontal bars: the labels' column
BAR_AREA = 300.0
ROW = 30.0  # horizontal bars: a row's height
COLUMN_HEIGHT = 220.0  # columns: the plot's height
COLUMN_AREA = 640.0
TOP = 10.0  # columns: room above the plot for the top tick
LEFT_AXIS = 48.0
BOTTOM_AXIS = 36.0
MAX_LABELS = 8  # columns: at most this many period labels under the axis
LABEL_CHARACTERS = 40  # horizontal bars: a longer label is cut (the table has it whole)


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its figure (None: suppressed) and where it is drawn."""

    label: str
    value: float | None
    x: float
    y: float
    width: float
    height: float
    series: int = 0

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_CHARACTERS:
            return self.label
        return self.label[: LABEL_CHARACTERS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Tick:
    """A label on an axis."""

    text: str
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    bars: list[Bar]
    ticks: list[Tick]  # y axis of columns (with a grid line), or none
    labels: list[Tick]  # period labels under columns, or none


def nice_maximum(value: float) -> float:
    """The axis' top: the smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def horizontal_bars(items: Sequence[tuple[str, float | None]]) -> Chart:
    """One bar per item, longest figure the full width; labels are drawn on their left."""
    top = nice_maximum(max((value or 0 for _, value in items), default=0))
    bars = []
    for i, (label, value) in enumerate(items):
        length = STUB if value is None else BAR_AREA * value / top
        bars.append(Bar(label, value, LABEL_WIDTH, i * ROW + 4, length, ROW - 10))
    return Chart(LABEL_WIDTH + BAR_AREA + 60, max(len(items), 1) * ROW, bars, [], [])


def columns(periods: Sequence[str], series: Sequence[Sequence[float | None]]) -> Chart:
    """Columns per period, the series side by side; a y axis with three grid lines and at
    most MAX_LABELS period labels."""
    top = nice_maximum(max((v or 0 for values in series for v in values), default=0))
    slot = COLUMN_AREA / max(len(periods), 1)
    width = max(slot * 0.8 / max(len(series), 1), 1.0)
    bars = []
    for s, values in enumerate(series):
        for i, (period, value) in enumerate(zip(periods, values, strict=True)):
            height = STUB if value is None else COLUMN_HEIGHT * value / top
            x = LEFT_AXIS + i * slot + slot * 0.1 + s * width
            bars.append(Bar(period, value, x, TOP + COLUMN_HEIGHT - height, width, height, s))
    ticks = [
        Tick(_figure(top * part), LEFT_AXIS - 6, TOP + COLUMN_HEIGHT * (1 - part))
        for part in (0, 0.5, 1)
    ]
    every = max(1, math.ceil(len(periods) / MAX_LABELS))
    labels = [
        Tick(period, LEFT_AXIS + i * slot + slot / 2, TOP + COLUMN_HEIGHT + 18)
        for i, period in enumerate(periods)
        if i % every == 0
    ]
    height = TOP + COLUMN_HEIGHT + BOTTOM_AXIS
    return Chart(LEFT_AXIS + COLUMN_AREA + 8, height, bars, ticks, labels)


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
