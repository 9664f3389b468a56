"""A supersampled Pillow canvas that takes world coordinates, and the clinic palette.

Pillow draws no anti-aliased shapes, so everything is drawn at SUPERSAMPLE times the
output size and scaled down with a Lanczos filter: smooth edges, no blur.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

Point = tuple[float, float]
Colour = tuple[int, int, int] | tuple[int, int, int, int]

SUPERSAMPLE = 4
# Every illustration has this shape; the renditions only change its width.
ASPECT = (4, 3)

BACKGROUND = (241, 247, 245)
BRAND = (13, 95, 95)  # --brand in app.css
BRAND_FAR = (86, 146, 142)
ACCENT = (232, 114, 52)
ACCENT_FAR = (242, 168, 124)
GHOST = (198, 220, 215)
ARROW = (206, 92, 34)
FLOOR = (196, 214, 208)
FLOOR_LINE = (150, 180, 172)
INK = (28, 42, 46)


@dataclass(frozen=True)
class Window:
    """The part of the world shown: left, bottom, right, top."""

    left: float
    bottom: float
    right: float
    top: float

    @staticmethod
    def around(points: Iterable[Point], *, margin: float) -> Window:
        xs, ys = zip(*points, strict=True)
        return Window(min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)

    def fitted(self, aspect: float) -> Window:
        """Grown (never shrunk) around its centre to the canvas shape."""
        width, height = self.right - self.left, self.top - self.bottom
        if width / height < aspect:
            width = height * aspect
        else:
            height = width / aspect
        cx, cy = (self.left + self.right) / 2, (self.bottom + self.top) / 2
        return Window(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


class Canvas:
    def __init__(self, *, width: int, window: Window) -> None:
        self.width = width * SUPERSAMPLE
        self.height = self.width * ASPECT[1] // ASPECT[0]
        self.window = window.fitted(ASPECT[0] / ASPECT[1])
        self.scale = self.width / (self.window.right - self.window.left)
        self.image = Image.new("RGB", (self.width, self.height), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image, "RGBA")

    def px(self, point: Point) -> Point:
        x, y = point
        return (
            (x - self.window.left) * self.scale,
            (self.window.top - y) * self.scale,
        )

    def size(self, units: float) -> float:
        return units * self.scale

    def circle(self, centre: Point, radius: float, fill: Colour) -> None:
        x, y = self.px(centre)
        r = self.size(radius)
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def ellipse(self, centre: Point, rx: float, ry: float, fill: Colour) -> None:
        x, y = self.px(centre)
        w, h = self.size(rx), self.size(ry)
        self.draw.ellipse((x - w, y - h, x + w, y + h), fill=fill)

    def polygon(self, points: Sequence[Point], fill: Colour) -> None:
        self.draw.polygon([self.px(p) for p in points], fill=fill)

    def rect(
        self,
        left: float,
        bottom: float,
        right: float,
        top: float,
        fill: Colour,
        *,
        radius: float = 0,
    ) -> None:
        x0, y0 = self.px((left, top))
        x1, y1 = self.px((right, bottom))
        self.draw.rounded_rectangle((x0, y0, x1, y1), radius=self.size(radius), fill=fill)

    def line(self, points: Sequence[Point], width: float, fill: Colour) -> None:
        """A polyline with round joints and ends."""
        w = max(1, round(self.size(width)))
        self.draw.line([self.px(p) for p in points], fill=fill, width=w, joint="curve")
        for p in (points[0], points[-1]):
            self.circle(p, width / 2, fill)

    def capsule(self, start: Point, end: Point, r_start: float, r_end: float, fill: Colour) -> None:
        """A limb: two circles joined by their tangent trapezoid (a tapered capsule)."""
        dx, dy = end[0] - start[0], end[1] - start[1]
        length = math.hypot(dx, dy) or 1e-6
        nx, ny = -dy / length, dx / length
        self.polygon(
            [
                (start[0] + nx * r_start, start[1] + ny * r_start),
                (end[0] + nx * r_end, end[1] + ny * r_end),
                (end[0] - nx * r_end, end[1] - ny * r_end),
                (start[0] - nx * r_start, start[1] - ny * r_start),
            ],
            fill,
        )
        self.circle(start, r_start, fill)
        self.circle(end, r_end, fill)

    def arrow(self, start: Point, control: Point, end: Point, width: float, fill: Colour) -> None:
        """A curved arrow (quadratic Bezier) with a solid head at `end`."""
        steps = 24
        path = [
            (
                (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0],
                (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1],
            )
            for t in (i / steps for i in range(steps + 1))
        ]
        head = width * 3.2
        # Stop the shaft short of the tip so the head stays sharp.
        tail = path[-7]
        angle = math.atan2(end[1] - tail[1], end[0] - tail[0])
        base = (end[0] - math.cos(angle) * head, end[1] - math.sin(angle) * head)
        shaft = [p for p in path if math.dist(p, end) > head * 0.8] or [start]
        self.line([*shaft, base], width, fill)
        left = (base[0] - math.sin(angle) * head * 0.62, base[1] + math.cos(angle) * head * 0.62)
        right = (base[0] + math.sin(angle) * head * 0.62, base[1] - math.cos(angle) * head * 0.62)
        self.polygon([end, left, right], fill)

    def finished(self) -> Image.Image:
        """Scaled down to the output size: the anti-aliasing step. Averaging each
        SUPERSAMPLE-square block is exact and fast, and (unlike Lanczos) adds no ringing
        colours that would bloat the lossless animation."""
        return self.image.reduce(SUPERSAMPLE)
