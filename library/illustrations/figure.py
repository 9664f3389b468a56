"""The articulated figure: from a pose (angles or targets) to the points the drawing needs.

World units are roughly centimetres of a 1.7 m adult, y pointing up, the floor at y = 0,
the figure facing right (+x). Angles are absolute and in degrees: 0 points forward,
90 up, -90 down. Nothing here knows about pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from library.illustrations.poses import Arm, Leg, Pose

Point = tuple[float, float]

TORSO = 50.0
NECK = 10.0
HEAD_R = 9.8
UPPER_ARM = 28.0
FOREARM = 27.0
THIGH = 44.0
SHIN = 43.0
# The foot in its own frame: x along the sole (heel to ball), y up from the sole.
ANKLE_HEIGHT = 7.5
HEEL_BACK = 5.5
BALL_FORWARD = 14.5
TOE_LENGTH = 6.0

DIRECTIONS: dict[str, Point] = {"up": (0, 1), "down": (0, -1), "forward": (1, 0), "back": (-1, 0)}


def unit(angle: float) -> Point:
    rad = math.radians(angle)
    return (math.cos(rad), math.sin(rad))


def along(origin: Point, angle: float, length: float) -> Point:
    dx, dy = unit(angle)
    return (origin[0] + dx * length, origin[1] + dy * length)


def angle_of(start: Point, end: Point) -> float:
    return math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def lerp_angle(a: float, b: float, t: float) -> float:
    """The short way round, so 170 -> -170 turns 20 degrees, not 340."""
    delta = (b - a + 180) % 360 - 180
    return a + delta * t


def lerp_point(a: Point, b: Point, t: float) -> Point:
    return (lerp(a[0], b[0], t), lerp(a[1], b[1], t))


def reach(origin: Point, target: Point, first: float, second: float, bend: str) -> Point:
    """Angles of a two-bone limb from `origin` reaching `target`, its middle joint bending
    towards `bend`. An unreachable target gets the limb pointing straight at it."""
    dx, dy = target[0] - origin[0], target[1] - origin[1]
    distance = min(max(math.hypot(dx, dy), abs(first - second) + 1e-6), first + second - 1e-6)
    base = math.degrees(math.atan2(dy, dx))
    cos_a = (first**2 + distance**2 - second**2) / (2 * first * distance)
    spread = math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
    prefer = DIRECTIONS[bend]
    best: tuple[float, float, float] | None = None
    for candidate in (base + spread, base - spread):
        middle = along(origin, candidate, first)
        score = (middle[0] - (origin[0] + target[0]) / 2) * prefer[0] + (
            middle[1] - (origin[1] + target[1]) / 2
        ) * prefer[1]
        end_angle = math.degrees(math.atan2(target[1] - middle[1], target[0] - middle[0]))
        if best is None or score > best[0]:
            best = (score, candidate, end_angle)
    assert best is not None
    return (best[1], best[2])


@dataclass(frozen=True)
class LegShape:
    thigh: float
    shin: float
    foot: float
    toes: float
    big_toe: float
    arch: float


@dataclass(frozen=True)
class Figure:
    """One drawn instant: every named point plus the angles the outline needs."""

    points: dict[str, Point]
    torso: float
    head: float
    legs: dict[str, LegShape]
    spread: float
    extra: dict[str, float] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Point:
        return self.points[name]


def _arm_angles(arm: Arm, shoulder: Point) -> Point:
    if arm.hand is not None:
        return reach(shoulder, arm.hand, UPPER_ARM, FOREARM, arm.elbow)
    assert arm.upper is not None and arm.fore is not None
    return (arm.upper, arm.fore)


def _leg_angles(leg: Leg, hip: Point) -> Point:
    if leg.ankle is not None:
        return reach(hip, leg.ankle, THIGH * leg.length, SHIN * leg.length, leg.knee)
    assert leg.thigh is not None and leg.shin is not None
    return (leg.thigh, leg.shin)


def _foot_angle(leg: Leg, shin: float) -> float:
    return leg.foot if leg.foot is not None else shin + 90


def figure_between(a: Pose, b: Pose, t: float) -> Figure:
    """The figure `t` of the way from pose `a` to pose `b` (0 <= t <= 1).

    Limbs given by targets in both poses move their hand or ankle in a straight line
    (a foot planted in both stays planted); otherwise the angles turn.
    """
    hip = lerp_point(a.hip, b.hip, t)
    torso = lerp_angle(a.torso, b.torso, t)
    head = lerp_angle(a.head, b.head, t)
    shoulder = along(hip, torso, TORSO)
    points: dict[str, Point] = {
        "hip": hip,
        "shoulder": shoulder,
        "head": along(shoulder, torso + head, NECK + HEAD_R),
    }
    for side in ("near", "far"):
        arm_a, arm_b = getattr(a, f"{side}_arm"), getattr(b, f"{side}_arm")
        if arm_a.hand is not None and arm_b.hand is not None:
            upper, fore = reach(
                shoulder, lerp_point(arm_a.hand, arm_b.hand, t), UPPER_ARM, FOREARM, arm_b.elbow
            )
        else:
            start = _arm_angles(arm_a, along(a.hip, a.torso, TORSO))
            end = _arm_angles(arm_b, along(b.hip, b.torso, TORSO))
            upper, fore = lerp_angle(start[0], end[0], t), lerp_angle(start[1], end[1], t)
        elbow = along(shoulder, upper, UPPER_ARM)
        points[f"{side}.elbow"] = elbow
        points[f"{side}.hand"] = along(elbow, fore, FOREARM)

    legs: dict[str, LegShape] = {}
    for side in ("near", "far"):
        leg_a, leg_b = getattr(a, f"{side}_leg"), getattr(b, f"{side}_leg")
        if leg_a.ankle is not None and leg_b.ankle is not None:
            thigh, shin = reach(
                hip,
                lerp_point(leg_a.ankle, leg_b.ankle, t),
                THIGH * lerp(leg_a.length, leg_b.length, t),
                SHIN * lerp(leg_a.length, leg_b.length, t),
                leg_b.knee,
            )
            start_shin = _leg_angles(leg_a, a.hip)[1]
            end_shin = _leg_angles(leg_b, b.hip)[1]
        else:
            start_thigh, start_shin = _leg_angles(leg_a, a.hip)
            end_thigh, end_shin = _leg_angles(leg_b, b.hip)
            thigh = lerp_angle(start_thigh, end_thigh, t)
            shin = lerp_angle(start_shin, end_shin, t)
        foot = lerp_angle(_foot_angle(leg_a, start_shin), _foot_angle(leg_b, end_shin), t)
        toes = lerp(leg_a.toes, leg_b.toes, t)
        big_a = leg_a.big_toe if leg_a.big_toe is not None else leg_a.toes
        big_b = leg_b.big_toe if leg_b.big_toe is not None else leg_b.toes
        shape = LegShape(
            thigh, shin, foot, toes, lerp(big_a, big_b, t), lerp(leg_a.arch, leg_b.arch, t)
        )
        legs[side] = shape
        length = lerp(leg_a.length, leg_b.length, t)
        knee = along(hip, thigh, THIGH * length)
        ankle = along(knee, shin, SHIN * length)
        points[f"{side}.knee"] = knee
        points[f"{side}.ankle"] = ankle
        for name, (fx, fy) in {
            "heel": (-HEEL_BACK, -ANKLE_HEIGHT),
            "arch": (BALL_FORWARD * 0.4, -ANKLE_HEIGHT + shape.arch),
            "ball": (BALL_FORWARD, -ANKLE_HEIGHT),
        }.items():
            points[f"{side}.{name}"] = foot_point(ankle, foot, fx, fy)
        points[f"{side}.toe"] = along(
            points[f"{side}.ball"], foot + max(toes, shape.big_toe), TOE_LENGTH
        )
    extra = {
        key: lerp(
            a.extra.get(key, b.extra.get(key, 0.0)), b.extra.get(key, a.extra.get(key, 0.0)), t
        )
        for key in sorted(set(a.extra) | set(b.extra))
    }
    return Figure(
        points=points,
        torso=torso,
        head=head,
        legs=legs,
        spread=lerp(a.spread, b.spread, t),
        extra=extra,
    )


def foot_point(ankle: Point, foot: float, fx: float, fy: float) -> Point:
    """A point given in the foot's own frame (x along the sole, y up from it)."""
    ux, uy = unit(foot)
    return (ankle[0] + ux * fx - uy * fy, ankle[1] + uy * fx + ux * fy)


def figure_of(pose: Pose) -> Figure:
    return figure_between(pose, pose, 0.0)
