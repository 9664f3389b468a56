"""A tiny first-step pain sparkline for the patient list, as one SVG path.

Pure layout: no database, no script. Missing mornings break the line (a gap is honest);
a morning alone between gaps is a dot (a zero-length segment with round caps). Small
integer coordinates keep fifty of them inside the page's byte budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

STEP = 7  # px between days
HEIGHT = 24
TOP = 2  # pain 10 sits here; pain 0 at TOP + 20
PER_POINT = 2  # px per pain point


@dataclass(frozen=True)
class Spark:
    width: int
    height: int
    path: str  # "" when nothing was recorded
    last_x: int | None
    last_y: int | None
    label: str


def sparkline(values: Sequence[int | None]) -> Spark:
    """`values` are 0–10 pains, oldest first, one per day (None = no check-in)."""
    return _sparkline(tuple(values))


# Pure layout of the points, which change at most once a day per patient: the list draws
# fifty a page, again at every sort, filter and page. (A Spark is frozen: safe to share.)
@lru_cache(maxsize=8192)
def _sparkline(values: tuple[int | None, ...]) -> Spark:
    parts: list[str] = []
    last: tuple[int, int] | None = None
    previous: int | None = None
    for index, pain in enumerate(values):
        if pain is None:
            previous = None
            continue
        x, y = index * STEP, TOP + (10 - pain) * PER_POINT
        if previous is None:
            parts.append(f"M{x},{y}")
            # A lone morning shows as a dot unless the next day carries the line on.
            following = values[index + 1] if index + 1 < len(values) else None
            if following is None:
                parts.append("h0")
        else:
            parts.append(f"L{x},{y}")
        previous, last = pain, (x, y)
    recorded = [v for v in values if v is not None]
    label = (
        f"First-step pain over {len(values)} days: "
        + ", ".join("–" if v is None else str(v) for v in values)
        if recorded
        else f"No check-ins in {len(values)} days"
    )
    return Spark(
        width=max(len(values) - 1, 1) * STEP,
        height=HEIGHT,
        path="".join(parts),
        last_x=last[0] if last else None,
        last_y=last[1] if last else None,
        label=label,
    )
