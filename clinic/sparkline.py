"""A tiny first-step pain sparkline for the dashboard, as numbers for an inline SVG.

Pure layout: no database, no script; missing mornings break the line (a gap is honest).
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 120
HEIGHT = 32
PAD = 3


@dataclass(frozen=True)
class Spark:
    width: int
    height: int
    lines: list[str]
    # Every recorded morning gets a dot, so a lone check-in between gaps still shows.
    dots: list[tuple[float, float]]
    last_x: float | None
    last_y: float | None
    label: str


def sparkline(values: list[int | None]) -> Spark:
    """`values` are 0–10 pains, oldest first, one per day (None = no check-in)."""
    span = max(len(values) - 1, 1)

    def x(index: int) -> float:
        return round(PAD + (WIDTH - 2 * PAD) * index / span, 1)

    def y(pain: int) -> float:
        return round(PAD + (HEIGHT - 2 * PAD) * (1 - pain / 10), 1)

    lines: list[str] = []
    run: list[str] = []
    last: tuple[float, float] | None = None
    dots: list[tuple[float, float]] = []
    for index, pain in enumerate(values):
        if pain is None:
            if len(run) > 1:
                lines.append("M" + " L".join(run))
            run = []
            continue
        last = (x(index), y(pain))
        dots.append(last)
        run.append(f"{last[0]},{last[1]}")
    if len(run) > 1:
        lines.append("M" + " L".join(run))
    recorded = [v for v in values if v is not None]
    label = (
        f"First-step pain over {len(values)} days: "
        + ", ".join("–" if v is None else str(v) for v in values)
        if recorded
        else f"No check-ins in {len(values)} days"
    )
    return Spark(
        width=WIDTH,
        height=HEIGHT,
        lines=lines,
        dots=dots,
        last_x=last[0] if last else None,
        last_y=last[1] if last else None,
        label=label,
    )
