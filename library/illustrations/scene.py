"""From a pose file to pictures: the still (end pose over a ghost of the start, with an
arrow showing the movement) and the animation frames (keyframes eased into each other,
holds held, looping back to the start)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from library.illustrations import props
from library.illustrations.body import SOLID, draw_figure, ghost_style
from library.illustrations.canvas import ARROW, ASPECT, GHOST, Canvas, Point, Window
from library.illustrations.feet import draw_feet_from_above
from library.illustrations.figure import HEAD_R, Figure, figure_between, figure_of
from library.illustrations.poses import PoseFile

FPS = 12
FRAME_MS = round(1000 / FPS)
# Points that may carry the still image's arrow, in order of preference on a tie.
ARROW_POINTS = (
    "near.hand",
    "near.ankle",
    "near.toe",
    "near.heel",
    "near.knee",
    "hip",
    "head",
    "far.hand",
    "far.ankle",
    "far.knee",
)
FOOT_TOP_WINDOW = Window(-42, -8, 42, 56)


@dataclass(frozen=True)
class Frame:
    figure: Figure
    duration_ms: int


def _ease(t: float) -> float:
    return (1 - math.cos(math.pi * t)) / 2


def timeline(pose_file: PoseFile) -> list[Frame]:
    """Rest on keyframe 0, move to 1, rest, ... and move from the last back to 0."""
    keys = pose_file.keyframes
    frames: list[Frame] = []
    for i, key in enumerate(keys):
        rest = max(FRAME_MS, round(key.rest_seconds * 1000))
        frames.append(Frame(figure_of(key.pose), rest))
        following = keys[(i + 1) % len(keys)]
        steps = max(2, round(following.move * FPS))
        for step in range(1, steps):
            t = _ease(step / steps)
            frames.append(Frame(figure_between(key.pose, following.pose, t), FRAME_MS))
    return frames


def window(pose_file: PoseFile, frames: list[Frame]) -> Window:
    if pose_file.window is not None:
        return Window(*pose_file.window)
    if pose_file.view == "foot-top":
        return FOOT_TOP_WINDOW
    points: list[Point] = []
    for frame in frames:
        f = frame.figure
        points.extend(f.points.values())
        head = f["head"]
        points.extend([(head[0], head[1] + HEAD_R), (head[0], head[1] - HEAD_R)])
        for prop in pose_file.props:
            points.extend(props.extent(prop, f))
    fitted = Window.around(points, margin=13).fitted(ASPECT[0] / ASPECT[1])
    if any(prop.kind == "floor" for prop in pose_file.props):
        # Grown to the canvas shape around its centre, the window may show a deep band of
        # floor: move it up until the floor is at most a fifth of the picture. (A lying
        # figure then sits a little below the middle instead of on the bottom edge.)
        floor_room = (fitted.top - fitted.bottom) * 0.2
        if fitted.bottom < -floor_room:
            lift = -floor_room - fitted.bottom
            return Window(fitted.left, fitted.bottom + lift, fitted.right, fitted.top + lift)
    return fitted


def _scene(c: Canvas, pose_file: PoseFile, f: Figure, *, ghost: Figure | None) -> None:
    if pose_file.view == "foot-top":
        draw_feet_from_above(c, f, pose_file.highlight, ghost=ghost)
        return
    for prop in pose_file.props:
        props.draw(c, prop, f, layer="behind")
    if ghost is not None:
        draw_figure(c, ghost, ghost_style(GHOST), [])
    draw_figure(c, f, SOLID, pose_file.highlight)
    for prop in pose_file.props:
        props.draw(c, prop, f, layer="front")
    if ghost is not None:
        _motion_arrow(c, pose_file, ghost, f)


def _motion_arrow(c: Canvas, pose_file: PoseFile, start: Figure, end: Figure) -> None:
    names = [pose_file.arrow] if pose_file.arrow else list(ARROW_POINTS)
    name = max(names, key=lambda n: math.dist(start[n], end[n]))
    a, b = start[name], end[name]
    span = c.window.right - c.window.left
    length = math.dist(a, b)
    if length < span * 0.015:
        return
    shortest = span * 0.11
    if length < shortest:
        # A small movement (a heel lifting 7 cm) still gets an arrow you can see.
        grow = (shortest - length) / 2 / length
        a, b = (
            (a[0] - (b[0] - a[0]) * grow, a[1] - (b[1] - a[1]) * grow),
            (b[0] + (b[0] - a[0]) * grow, b[1] + (b[1] - a[1]) * grow),
        )
        length = shortest
    # Beside the path, on the side away from the body, so it never hides a limb.
    centre = (
        sum(p[0] for p in end.points.values()) / len(end.points),
        sum(p[1] for p in end.points.values()) / len(end.points),
    )
    nx, ny = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    if (mid[0] + nx - centre[0]) ** 2 + (mid[1] + ny - centre[1]) ** 2 < (
        mid[0] - centre[0]
    ) ** 2 + (mid[1] - centre[1]) ** 2:
        nx, ny = -nx, -ny
    gap = span * 0.045
    trim = min(length * 0.12, span * 0.02)
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    start_pt = (a[0] + nx * gap + ux * trim, a[1] + ny * gap + uy * trim)
    end_pt = (b[0] + nx * gap - ux * trim, b[1] + ny * gap - uy * trim)
    bulge = length * 0.12
    control = (mid[0] + nx * (gap + bulge), mid[1] + ny * (gap + bulge))
    c.arrow(start_pt, control, end_pt, span * 0.011, ARROW)


def still_image(pose_file: PoseFile, *, width: int) -> Image.Image:
    """The end pose (or the file's chosen `still`) with the start pose ghosted behind."""
    frames = timeline(pose_file)
    c = Canvas(width=width, window=window(pose_file, frames))
    ghost = figure_of(pose_file.keyframes[0].pose)
    shown = figure_of(pose_file.keyframes[pose_file.still_index].pose)
    _scene(c, pose_file, shown, ghost=ghost)
    return c.finished()


def animation_frames(pose_file: PoseFile, *, width: int) -> list[tuple[Image.Image, int]]:
    """Each width is drawn on its own supersampled canvas: scaling one size down to
    another blurs edges into many colours, which doubles the lossless file."""
    frames = timeline(pose_file)
    view = window(pose_file, frames)
    pictures = []
    for frame in frames:
        c = Canvas(width=width, window=view)
        _scene(c, pose_file, frame.figure, ghost=None)
        pictures.append((c.finished(), frame.duration_ms))
    return pictures
