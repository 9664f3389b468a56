"""Drawing the figure: rounded limbs in the brand teal, the far side a lighter tint, the
working part in the warm accent. A ghost is the same figure in one pale colour."""

from __future__ import annotations

import math
from dataclasses import dataclass

from library.illustrations import figure as fig
from library.illustrations.canvas import (
    ACCENT,
    ACCENT_FAR,
    BRAND,
    BRAND_FAR,
    Canvas,
    Colour,
)
from library.illustrations.figure import Figure, Point, along, foot_point, unit
from library.illustrations.poses import Highlight

# Limb radii at each end, in world units.
TORSO_R = (9.5, 9.2)
NECK_R = 4.2
THIGH_R = (7.6, 5.4)
SHIN_R = (5.4, 3.6)
UPPER_ARM_R = (4.8, 3.9)
FOREARM_R = (3.9, 3.2)
HAND_R = 4.0
TOE_R = (2.3, 1.7)


@dataclass(frozen=True)
class Style:
    near: Colour
    far: Colour
    accent_near: Colour | None
    accent_far: Colour | None

    def body(self, side: str) -> Colour:
        return self.near if side == "near" else self.far

    def accent(self, side: str) -> Colour:
        colour = self.accent_near if side == "near" else self.accent_far
        return colour if colour is not None else self.body(side)


SOLID = Style(near=BRAND, far=BRAND_FAR, accent_near=ACCENT, accent_far=ACCENT_FAR)


def ghost_style(colour: Colour) -> Style:
    return Style(near=colour, far=colour, accent_near=None, accent_far=None)


def _lit(highlights: list[Highlight], part: str, side: str) -> bool:
    return any(h.part == part and h.side in (side, "both") for h in highlights)


def _side_towards(start: Point, end: Point, towards: Point) -> Point:
    """The unit normal of segment start->end pointing the same way as `towards`."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1e-6
    nx, ny = -dy / length, dx / length
    return (nx, ny) if nx * towards[0] + ny * towards[1] >= 0 else (-nx, -ny)


def _back_of_leg(f: Figure, side: str) -> tuple[Point, Point]:
    """Normals pointing to the back of the thigh (hamstrings) and of the shin (calf)."""
    hip, knee, ankle = f["hip"], f[f"{side}.knee"], f[f"{side}.ankle"]
    foot = unit(f.legs[side].foot)
    behind = (-foot[0], -foot[1])
    thigh_dir = (knee[0] - hip[0], knee[1] - hip[1])
    shin_dir = (ankle[0] - knee[0], ankle[1] - knee[1])
    bent = (
        abs(thigh_dir[0] * shin_dir[1] - thigh_dir[1] * shin_dir[0]) > 0.15 * fig.THIGH * fig.SHIN
    )
    thigh_back = _side_towards(hip, knee, shin_dir if bent else behind)
    shin_back = _side_towards(knee, ankle, (-thigh_dir[0], -thigh_dir[1]) if bent else behind)
    return thigh_back, shin_back


def draw_arm(c: Canvas, f: Figure, side: str, style: Style, highlights: list[Highlight]) -> None:
    colour = style.accent(side) if _lit(highlights, "arm", side) else style.body(side)
    shoulder, elbow, hand = f["shoulder"], f[f"{side}.elbow"], f[f"{side}.hand"]
    c.capsule(shoulder, elbow, *UPPER_ARM_R, colour)
    c.capsule(elbow, hand, *FOREARM_R, colour)
    c.circle(hand, HAND_R, colour)


def draw_foot(c: Canvas, f: Figure, side: str, style: Style, highlights: list[Highlight]) -> None:
    shape = f.legs[side]
    ankle = f[f"{side}.ankle"]
    whole = _lit(highlights, "foot", side)
    colour = style.accent(side) if whole else style.body(side)
    h = fig.ANKLE_HEIGHT
    arch = shape.arch
    outline = [
        (-3.2, 2.5),
        (-fig.HEEL_BACK - 1.2, -h + 3.4),
        (-fig.HEEL_BACK + 0.6, -h),
        (1.5, -h + arch * 0.7),
        (5.5, -h + arch),
        (10.0, -h + arch * 0.55),
        (fig.BALL_FORWARD, -h),
        (fig.BALL_FORWARD + 0.6, -h + 3.6),
        (4.0, 1.2),
    ]
    c.polygon([foot_point(ankle, shape.foot, x, y) for x, y in outline], colour)
    c.circle(foot_point(ankle, shape.foot, -fig.HEEL_BACK + 1.6, -h + 2.6), 2.9, colour)
    c.circle(foot_point(ankle, shape.foot, fig.BALL_FORWARD - 1.0, -h + 2.2), 2.4, colour)
    ball = f[f"{side}.ball"]
    ball_in = foot_point(ankle, shape.foot, fig.BALL_FORWARD - 1.0, -h + 2.2)
    small = (
        style.accent(side)
        if _lit(highlights, "toes", side) or _lit(highlights, "small-toes", side)
        else colour
    )
    big = (
        style.accent(side)
        if _lit(highlights, "toes", side) or _lit(highlights, "big-toe", side)
        else colour
    )
    separate = abs(shape.big_toe - shape.toes) > 2
    if separate:
        # Small toes behind the big toe, a shade paler so the two read apart.
        small_tip = along(ball, shape.foot + shape.toes, fig.TOE_LENGTH * 0.85)
        c.capsule(ball_in, small_tip, TOE_R[0] * 0.9, TOE_R[1] * 0.9, _paler(small))
    big_tip = along(ball, shape.foot + shape.big_toe, fig.TOE_LENGTH)
    c.capsule(ball_in, big_tip, *TOE_R, big if separate else (big if big == small else small))
    if _lit(highlights, "arch", side) and not whole:
        sole = [
            foot_point(ankle, shape.foot, x, y + 1.3)
            for x, y in (
                (-fig.HEEL_BACK + 1.6, -h),
                (1.5, -h + arch * 0.7),
                (5.5, -h + arch),
                (10.0, -h + arch * 0.55),
                (fig.BALL_FORWARD - 1.0, -h),
            )
        ]
        c.line(sole, 2.6, style.accent(side))


def _paler(colour: Colour) -> Colour:
    r, g, b = colour[:3]
    return (r + (255 - r) * 35 // 100, g + (255 - g) * 35 // 100, b + (255 - b) * 35 // 100)


def draw_leg(c: Canvas, f: Figure, side: str, style: Style, highlights: list[Highlight]) -> None:
    hip, knee, ankle = f["hip"], f[f"{side}.knee"], f[f"{side}.ankle"]
    body = style.body(side)
    accent = style.accent(side)
    c.capsule(hip, knee, *THIGH_R, accent if _lit(highlights, "thigh", side) else body)
    c.capsule(knee, ankle, *SHIN_R, accent if _lit(highlights, "shin", side) else body)
    thigh_back, shin_back = _back_of_leg(f, side)
    if _lit(highlights, "hamstrings", side):
        a = _towards(hip, knee, 0.25, thigh_back, 2.4)
        b = _towards(hip, knee, 0.85, thigh_back, 1.6)
        c.capsule(a, b, 5.0, 3.6, accent)
    if _lit(highlights, "calf", side):
        a = _towards(knee, ankle, 0.16, shin_back, 2.2)
        b = _towards(knee, ankle, 0.62, shin_back, 1.2)
        c.capsule(a, b, 5.2, 3.0, accent)
    draw_foot(c, f, side, style, highlights)


def _towards(start: Point, end: Point, share: float, normal: Point, offset: float) -> Point:
    return (
        start[0] + (end[0] - start[0]) * share + normal[0] * offset,
        start[1] + (end[1] - start[1]) * share + normal[1] * offset,
    )


def draw_trunk(c: Canvas, f: Figure, style: Style, highlights: list[Highlight]) -> None:
    hip, shoulder, head = f["hip"], f["shoulder"], f["head"]
    body = style.near
    accent = style.accent("near")
    c.capsule(shoulder, head, NECK_R, NECK_R, body)
    c.capsule(hip, shoulder, *TORSO_R, body)
    c.circle(head, fig.HEAD_R, body)
    back = unit(f.torso + 90)
    if _lit(highlights, "core", "near"):
        c.capsule(
            _towards(hip, shoulder, 0.12, back, -1.0),
            _towards(hip, shoulder, 0.62, back, -1.0),
            7.2,
            7.6,
            accent,
        )
    if _lit(highlights, "back", "near"):
        c.capsule(
            _towards(hip, shoulder, 0.15, back, 5.2),
            _towards(hip, shoulder, 0.85, back, 5.8),
            4.0,
            4.6,
            accent,
        )
    if _lit(highlights, "glutes", "near") or _lit(highlights, "glutes", "far"):
        down = unit(f.torso - 180)
        centre = (hip[0] + back[0] * 3.6 + down[0] * 1.5, hip[1] + back[1] * 3.6 + down[1] * 1.5)
        c.circle(centre, 7.6, accent)
    if _lit(highlights, "shoulder", "near"):
        c.circle(shoulder, 6.5, accent)


def draw_figure(c: Canvas, f: Figure, style: Style, highlights: list[Highlight]) -> None:
    """Far limbs first, then the trunk, then the near limbs: a side view with depth."""
    draw_arm(c, f, "far", style, highlights)
    draw_leg(c, f, "far", style, highlights)
    draw_trunk(c, f, style, highlights)
    draw_leg(c, f, "near", style, highlights)
    draw_arm(c, f, "near", style, highlights)
