"""Props around the figure: floor, mat, step, wall, chair, towel, ball, frozen bottle,
band, pool water, bike, treadmill, bed. Props may follow the figure (a ball under the
arch, a band around the knees), so each is drawn for one instant of the figure.

`BEHIND` props are drawn before the figure; the rest over it (a band, a towel in the
hands, the water line).
"""

from __future__ import annotations

import math

from library.illustrations.canvas import FLOOR, FLOOR_LINE, Canvas, Point
from library.illustrations.figure import Figure
from library.illustrations.poses import Prop

WOOD = (214, 190, 156)
WOOD_DARK = (172, 136, 98)
WALL = (228, 224, 214)
WALL_EDGE = (196, 188, 172)
MAT = (160, 204, 196)
MAT_EDGE = (128, 180, 170)
TOWEL = (238, 186, 104)
TOWEL_DARK = (214, 156, 72)
BALL = (206, 222, 74)
BALL_SEAM = (250, 252, 240)
ICE = (184, 222, 242)
ICE_CAP = (70, 130, 186)
BAND = (126, 98, 196)
WATER = (90, 172, 214, 96)
WATER_LINE = (58, 140, 196)
METAL = (96, 108, 114)
METAL_LIGHT = (150, 160, 166)
CHAMBER = (200, 222, 238, 120)
CHAMBER_EDGE = (120, 160, 196)

IN_FRONT = ("band", "towel", "water")


def anchor(prop: Prop, f: Figure, value: str | Point | None) -> Point:
    if value is None:
        raise ValueError(f"{prop.kind}: needs a point")
    point = f[value] if isinstance(value, str) else value
    return (point[0] + prop.offset[0], point[1] + prop.offset[1])


def extent(prop: Prop, f: Figure) -> list[Point]:
    """World points the camera must keep in view for this prop."""
    if prop.kind == "floor":
        return [(f["hip"][0], -5.0)]
    if prop.kind in ("mat", "towel-floor") and prop.x:
        return [(prop.x[0], 0.0), (prop.x[1], 2.0)]
    if prop.kind in ("step", "chair", "bed", "treadmill") and prop.x:
        return [(prop.x[0], 0.0), (prop.x[1], prop.height or 0.0)]
    if prop.kind == "wall" and prop.x:
        return [(prop.x[0], 0.0), (prop.x[0] + 6, 0.0)]
    if prop.kind == "bike":
        saddle, crank, bars = (anchor(prop, f, v) for v in (prop.at, prop.start, prop.end))
        return [saddle, (crank[0] - 30, 0), (bars[0] + 30, 0), bars]
    if prop.kind in ("ball", "bottle", "towel-roll"):
        centre = anchor(prop, f, prop.at)
        r = (prop.size or 4) + 2
        return [(centre[0] - r, centre[1] - r), (centre[0] + r, centre[1] + r)]
    return []


def draw(c: Canvas, prop: Prop, f: Figure, *, layer: str) -> None:
    if prop.kind == "treadmill":
        # The anti-gravity chamber wraps the legs: drawn over them, see-through.
        if layer == "behind":
            _treadmill(c, prop, f)
        elif prop.height:
            _chamber(c, prop, f)
        return
    if (prop.kind in IN_FRONT) == (layer == "front"):
        _DRAWERS[prop.kind](c, prop, f)


def _floor(c: Canvas, prop: Prop, f: Figure) -> None:
    w = c.window
    c.rect(w.left - 1, w.bottom - 1, w.right + 1, 0, FLOOR)
    c.line([(w.left - 1, 0), (w.right + 1, 0)], 0.7, FLOOR_LINE)


def _mat(c: Canvas, prop: Prop, f: Figure) -> None:
    """Seen edge-on by default; with a `height`, seen from the front and a little above,
    as a band of that depth (for side-lying exercises drawn from the front)."""
    assert prop.x
    if prop.height:
        c.rect(prop.x[0], 2.4 - prop.height, prop.x[1], 2.4, MAT, radius=2.0)
    c.rect(prop.x[0], 0, prop.x[1], 2.4, MAT, radius=1.0)
    c.line([(prop.x[0] + 1, 2.2), (prop.x[1] - 1, 2.2)], 0.5, MAT_EDGE)


def _step(c: Canvas, prop: Prop, f: Figure) -> None:
    assert prop.x
    h = prop.height or 18
    c.rect(prop.x[0], 0, prop.x[1], h, WOOD, radius=1.2)
    c.rect(prop.x[0], h - 2.4, prop.x[1], h, WOOD_DARK, radius=1.0)


def _wall(c: Canvas, prop: Prop, f: Figure) -> None:
    assert prop.x
    x = prop.x[0]
    c.rect(x, 0, c.window.right + 1, c.window.top + 1, WALL)
    c.line([(x, 0), (x, c.window.top + 1)], 1.0, WALL_EDGE)


def _chair(c: Canvas, prop: Prop, f: Figure) -> None:
    assert prop.x
    left, right = prop.x
    h = prop.height or 46
    for x in (left + 2.2, right - 2.2):
        c.line([(x, 0.5), (x, h)], 2.6, WOOD_DARK)
    back_x = left + 1.6 if prop.side == "left" else right - 1.6
    c.line([(back_x, h), (back_x, h + 42)], 3.0, WOOD_DARK)
    c.rect(back_x - 2.6, h + 26, back_x + 2.6, h + 44, WOOD_DARK, radius=1.4)
    c.rect(left, h - 3.2, right, h + 0.4, WOOD, radius=1.2)


def _bed(c: Canvas, prop: Prop, f: Figure) -> None:
    assert prop.x
    left, right = prop.x
    h = prop.height or 48
    for x in (left + 3, right - 3):
        c.line([(x, 0.5), (x, h - 10)], 3.0, WOOD_DARK)
    c.rect(left, h - 12, right, h - 7, WOOD_DARK, radius=1.5)
    c.rect(left + 1, h - 8, right - 1, h, (236, 240, 246), radius=3.0)
    c.line([(left + 4, h - 0.6), (right - 4, h - 0.6)], 0.6, (206, 214, 226))


def _towel_between(c: Canvas, prop: Prop, f: Figure) -> None:
    start, end = anchor(prop, f, prop.start), anchor(prop, f, prop.end)
    c.line([start, end], 2.6, TOWEL)
    c.circle(end, 2.6, TOWEL_DARK)


def _towel_roll(c: Canvas, prop: Prop, f: Figure) -> None:
    centre = anchor(prop, f, prop.at)
    r = prop.size or 3.2
    c.circle(centre, r, TOWEL)
    c.circle(centre, r * 0.55, TOWEL_DARK)
    c.circle(centre, r * 0.28, TOWEL)


def _towel_floor(c: Canvas, prop: Prop, f: Figure) -> None:
    """A towel pulled in by the toes: the far end creeps closer, the near end bunches up."""
    assert prop.x
    bunch = f.extra.get("bunch", 0.0)
    left, right = prop.x
    length = right - left
    far = right - length * 0.55 * bunch
    pile = left + length * (0.12 + 0.3 * bunch)
    c.rect(pile, 0, far, 1.0, TOWEL, radius=0.4)
    waves = 3
    height = 1.2 + 3.8 * bunch
    points = [
        (
            left + (pile - left) * i / (waves * 8),
            0.6 + height * abs(math.sin(math.pi * waves * i / (waves * 8))),
        )
        for i in range(waves * 8 + 1)
    ]
    c.polygon([(left, 0), *points, (pile, 0)], TOWEL)
    c.line(points, 0.7, TOWEL_DARK)


def _ball(c: Canvas, prop: Prop, f: Figure) -> None:
    centre = anchor(prop, f, prop.at)
    r = prop.size or 3.4
    c.circle(centre, r, BALL)
    spin = f.extra.get("spin", 0.0)
    seam = [
        (
            centre[0] + r * 0.78 * math.cos(math.radians(a + spin)),
            centre[1] + r * 0.45 * math.sin(math.radians(2 * a + spin)),
        )
        for a in range(-60, 61, 10)
    ]
    c.line(seam, r * 0.14, BALL_SEAM)


def _bottle(c: Canvas, prop: Prop, f: Figure) -> None:
    centre = anchor(prop, f, prop.at)
    r = prop.size or 3.4
    length = r * 6.4
    left = (centre[0] - length / 2, centre[1])
    right = (centre[0] + length / 2 - r * 0.8, centre[1])
    c.capsule(left, right, r, r, ICE)
    c.capsule(
        (right[0] + r * 0.4, right[1]), (right[0] + r * 1.4, right[1]), r * 0.5, r * 0.5, ICE_CAP
    )
    # Frost streaks: it reads as cold, not as a rolling pin.
    for share in (0.22, 0.5, 0.78):
        x = left[0] + (right[0] - left[0]) * share
        c.line(
            [(x - r * 0.2, centre[1] + r * 0.55), (x + r * 0.2, centre[1] - r * 0.55)],
            r * 0.16,
            (250, 254, 255),
        )


def _band(c: Canvas, prop: Prop, f: Figure) -> None:
    start, end = anchor(prop, f, prop.start), anchor(prop, f, prop.end)
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1e-6
    nx, ny = -dy / length * 3.2, dx / length * 3.2
    loop = [
        (start[0] + nx, start[1] + ny),
        (end[0] + nx, end[1] + ny),
        (end[0] - nx, end[1] - ny),
        (start[0] - nx, start[1] - ny),
        (start[0] + nx, start[1] + ny),
    ]
    c.line(loop, 1.7, BAND)


def _water(c: Canvas, prop: Prop, f: Figure) -> None:
    level = prop.height if prop.height is not None else 0.0
    w = c.window
    phase = f.extra.get("wave", 0.0)
    span = w.right - w.left
    line = [
        (w.left + span * i / 60, level + 1.1 * math.sin(2 * math.pi * (i / 60 * 5) + phase))
        for i in range(61)
    ]
    c.polygon([(w.left - 1, w.bottom - 1), *line, (w.right + 1, w.bottom - 1)], WATER)
    c.line(line, 0.9, WATER_LINE)


def _bike(c: Canvas, prop: Prop, f: Figure) -> None:
    saddle, crank, bars = (anchor(prop, f, v) for v in (prop.at, prop.start, prop.end))
    wheel = (crank[0] + 30, crank[1] + 4)
    c.line([(crank[0] - 32, 1.2), (wheel[0] + 14, 1.2)], 3.4, METAL)
    c.line([(crank[0] - 26, 1.5), (saddle[0], saddle[1] - 3)], 3.2, METAL)
    c.line([(crank[0] - 8, 1.5), crank, wheel], 3.0, METAL)
    c.line([wheel, (wheel[0] + 10, 1.5)], 3.0, METAL)
    c.line([(crank[0] + 6, crank[1] + 14), (bars[0] - 2, bars[1] - 2)], 3.0, METAL)
    c.line([(bars[0] - 4, bars[1]), (bars[0] + 5, bars[1] + 1)], 3.2, METAL)
    c.circle(wheel, 13.0, METAL_LIGHT)
    c.circle(wheel, 10.5, (228, 232, 234))
    c.circle(wheel, 3.0, METAL)
    c.capsule((saddle[0] - 7, saddle[1]), (saddle[0] + 4, saddle[1] - 0.6), 2.4, 1.6, (60, 68, 72))
    for side in ("far", "near"):
        pedal = f[f"{side}.arch"]
        c.line([crank, pedal], 1.8, METAL if side == "near" else METAL_LIGHT)
    c.circle(crank, 4.2, METAL)


def _treadmill(c: Canvas, prop: Prop, f: Figure) -> None:
    assert prop.x
    left, right = prop.x
    c.rect(left, 0, right, 7, METAL_LIGHT, radius=3.0)
    c.rect(left + 2, 5.2, right - 2, 7.4, (70, 78, 82), radius=1.0)
    c.line([(right - 6, 6), (right + 4, 104)], 3.0, METAL)
    c.rect(right - 4, 98, right + 14, 110, METAL, radius=2.0)
    c.line([(right + 2, 84), (right - 30, 84)], 2.2, METAL)


def _chamber(c: Canvas, prop: Prop, f: Figure) -> None:
    """The anti-gravity treadmill's air bag, sealed at the waist."""
    assert prop.x and prop.height
    left, right = prop.x
    top = prop.height
    points = []
    for i in range(41):
        a = math.pi * i / 40
        points.append(
            (
                (left + right) / 2 - (right - left) / 2 * math.cos(a),
                7 + (top - 7) * math.sin(a) ** 0.6,
            )
        )
    c.polygon(points, CHAMBER)
    c.line(points, 1.0, CHAMBER_EDGE)
    hip = f["hip"]
    c.capsule((hip[0] - 13, top - 1), (hip[0] + 13, top - 1), 2.0, 2.0, CHAMBER_EDGE)


_DRAWERS = {
    "floor": _floor,
    "mat": _mat,
    "step": _step,
    "wall": _wall,
    "chair": _chair,
    "bed": _bed,
    "towel": _towel_between,
    "towel-roll": _towel_roll,
    "towel-floor": _towel_floor,
    "ball": _ball,
    "bottle": _bottle,
    "band": _band,
    "water": _water,
    "bike": _bike,
    "treadmill": _treadmill,
}
