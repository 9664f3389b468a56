"""Both feet seen from above, for movements that happen across the foot (toe spread):
a side view cannot show toes fanning apart."""

from __future__ import annotations

import math

from library.illustrations.body import SOLID, Style, ghost_style
from library.illustrations.canvas import ARROW, FLOOR, GHOST, Canvas, Point
from library.illustrations.figure import Figure
from library.illustrations.poses import Highlight

# Per toe, big toe first: base offset across the foot, length, radius, resting splay
# (degrees) and how far it fans out when fully spread.
TOES = (
    (-7.4, 8.6, 3.1, -4.0, -16.0),
    (-2.9, 7.2, 2.2, 2.0, -5.0),
    (0.9, 6.6, 2.1, 6.0, 4.0),
    (4.4, 5.8, 2.0, 10.0, 11.0),
    (7.6, 4.9, 1.8, 15.0, 19.0),
)
FEET_X = (-17.0, 17.0)


def _toe_tips(x: float, mirror: int, spread: float) -> list[tuple[Point, Point, float]]:
    toes = []
    for offset, length, radius, splay, fan in TOES:
        base = (x + mirror * offset, 35.5 - abs(offset) * 0.22)
        angle = 90 - mirror * (splay + fan * spread)
        tip = (
            base[0] + math.cos(math.radians(angle)) * length,
            base[1] + math.sin(math.radians(angle)) * length,
        )
        toes.append((base, tip, radius))
    return toes


def _foot(c: Canvas, x: float, mirror: int, spread: float, style: Style, toes_lit: bool) -> None:
    """A footprint: heel and forefoot pads joined by a waist that is narrower on the big-toe
    side (the arch), toes fanned by `spread`."""
    colour = style.near
    inner = -mirror  # the big-toe side, towards the other foot
    c.ellipse((x + inner * 0.3, 8.0), 6.4, 7.4, colour)
    c.ellipse((x + inner * 0.6, 28.0), 9.8, 8.6, colour)
    waist = [
        (x + inner * 5.6, 9.0),
        (x + inner * 4.4, 16.0),
        (x + inner * 6.8, 25.0),
        (x - inner * 8.8, 26.0),
        (x - inner * 7.2, 16.0),
        (x - inner * 6.2, 8.0),
    ]
    c.polygon(waist, colour)
    toe_colour = style.accent("near") if toes_lit else colour
    for base, tip, radius in _toe_tips(x, mirror, spread):
        c.capsule(base, tip, radius, radius * 0.92, toe_colour)


def draw_feet_from_above(
    c: Canvas, f: Figure, highlights: list[Highlight], *, ghost: Figure | None
) -> None:
    w = c.window
    c.rect(w.left - 1, w.bottom - 1, w.right + 1, w.top + 1, FLOOR)
    lit = any(h.part in ("toes", "big-toe", "small-toes") for h in highlights)
    # The runner's left foot is on the picture's left; big toes face each other.
    for x, mirror in zip(FEET_X, (-1, 1), strict=True):
        if ghost is not None:
            _foot(c, x, mirror, ghost.spread, ghost_style(GHOST), False)
        _foot(c, x, mirror, f.spread, SOLID, lit)
    if ghost is None or abs(f.spread - ghost.spread) < 0.2:
        return
    span = w.right - w.left
    # The toes move only a little: each arrow says "this way", longer than the move itself.
    for x, mirror in zip(FEET_X, (-1, 1), strict=True):
        for index in (0, 4):
            before = _toe_tips(x, mirror, ghost.spread)[index][1]
            after = _toe_tips(x, mirror, f.spread)[index][1]
            dx, dy = after[0] - before[0], after[1] - before[1]
            length = math.hypot(dx, dy) or 1.0
            ux, uy = dx / length, dy / length
            start = (after[0] - ux * 1.5, after[1] + 5.0)
            end = (after[0] + ux * 6.5, after[1] + 5.0 + uy * 6.5)
            control = ((start[0] + end[0]) / 2, max(start[1], end[1]) + 1.5)
            c.arrow(start, control, end, span * 0.01, ARROW)
