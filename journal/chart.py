"""The first-step pain chart as plain numbers for an inline SVG: no chart library, no script.

The template draws what this returns; every coordinate is computed here so the page
stays a dumb picture (and the chart works with JavaScript off or the phone offline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from footing.dates import day_month
from journal.selectors import DayPain

WIDTH = 340
HEIGHT = 190
LEFT = 26  # room for the 0-10 labels
RIGHT = 8
TOP = 10
BOTTOM = 26  # room for the date labels


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    pain: int


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class DateLabel:
    x: float
    label: str
    anchor: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    points: list[Point]
    lines: list[str]  # SVG path data, one per run of consecutive days
    ticks: list[Tick]
    dates: list[DateLabel]
    target_y: float | None
    bottom: float

    @property
    def dot_radius(self) -> float:
        return 3.5 if len(self.points) <= 31 else 2.2


def _y(pain: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - pain / 10), 1)


def pain_chart(series: list[DayPain], *, target: float | None = None) -> Chart:
    """Lay out first-step pain (0 at the bottom, 10 at the top) over the days in `series`.

    Missing days break the line instead of being drawn through: a gap is honest.
    """
    span = max(len(series) - 1, 1)
    plot_width = WIDTH - LEFT - RIGHT

    def x(index: int) -> float:
        return round(LEFT + plot_width * index / span, 1)

    points: list[Point] = []
    lines: list[str] = []
    run: list[Point] = []
    for index, point in enumerate(series):
        if point.pain is None:
            if len(run) > 1:
                lines.append(_path(run))
            run = []
            continue
        placed = Point(x(index), _y(point.pain), point.day, point.pain)
        points.append(placed)
        run.append(placed)
    if len(run) > 1:
        lines.append(_path(run))
    dates = []
    if series:
        middle = len(series) // 2
        dates = [
            DateLabel(x(0), day_month(series[0].day), "start"),
            DateLabel(x(middle), day_month(series[middle].day), "middle"),
            DateLabel(x(len(series) - 1), day_month(series[-1].day), "end"),
        ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        points=points,
        lines=lines,
        ticks=[Tick(_y(value), str(value)) for value in (0, 2, 4, 6, 8, 10)],
        dates=dates,
        target_y=_y(target) if target is not None else None,
        bottom=_y(0),
    )


def _path(run: list[Point]) -> str:
    return "M" + " L".join(f"{p.x},{p.y}" for p in run)
