"""Footing's app icons and install screenshots, drawn with Pillow from one source.

Everything here is drawn in code at build time (`manage.py build_icons`) instead of kept as
binary files: one drawing (`draw_mark`) gives every icon size, so the home-screen icon, the
maskable icon, Apple's touch icon and the favicon can never drift apart. Output is
deterministic (no timestamps in PNG), so the hashed static names only change when the
drawing does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = (13, 95, 95)  # --brand in app.css
BRAND_SOFT = (226, 239, 236)
WHITE = (255, 255, 255)
PAGE = (246, 244, 239)  # --bg
INK = (28, 42, 46)
MUTED = (79, 95, 99)
LINE = (220, 216, 206)

# Drawn this many times larger, then scaled down: Pillow draws no anti-aliased shapes.
SUPERSAMPLE = 4


@dataclass(frozen=True)
class IconSpec:
    """One file to write. `inset` is the share of each side left as background: a maskable
    icon keeps its drawing inside the central 80% circle, so it needs a wide margin."""

    name: str
    size: int
    inset: float
    rounded: bool
    purpose: str = "any"


ICONS = (
    IconSpec("icon-192.png", 192, inset=0.16, rounded=True),
    IconSpec("icon-512.png", 512, inset=0.16, rounded=True),
    IconSpec("icon-maskable-512.png", 512, inset=0.26, rounded=False, purpose="maskable"),
    # iOS rounds the corners itself and shows transparency as black: a full square.
    IconSpec("apple-touch-icon-180.png", 180, inset=0.18, rounded=False),
)
FAVICON_SIZES = (16, 32, 48)
SCREENSHOT_SIZE = (780, 1688)  # a 390 x 844 phone at twice the pixel density


def draw_mark(size: int, *, inset: float, rounded: bool) -> Image.Image:
    """The Footing mark: a white footprint on the brand teal, `size` pixels square."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=int(big * 0.22), fill=BRAND)
    else:
        draw.rectangle((0, 0, big - 1, big - 1), fill=BRAND)

    # The footprint lives in a unit box [0, 1]², mapped into the area inside the inset.
    left = big * inset
    span = big * (1 - 2 * inset)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (left + x0 * span, left + y0 * span, left + x1 * span, left + y1 * span)

    # Sole: forefoot, midfoot and heel as overlapping ovals, with the inner arch cut away.
    draw.ellipse(box(0.24, 0.28, 0.76, 0.64), fill=WHITE)
    draw.ellipse(box(0.30, 0.44, 0.72, 0.82), fill=WHITE)
    draw.ellipse(box(0.32, 0.62, 0.66, 0.98), fill=WHITE)
    draw.ellipse(box(0.15, 0.55, 0.37, 0.81), fill=BRAND)
    # Toes, big toe first, getting smaller towards the little toe.
    toes = (
        (0.27, 0.10, 0.15),
        (0.44, 0.06, 0.115),
        (0.57, 0.09, 0.10),
        (0.68, 0.15, 0.085),
        (0.76, 0.24, 0.07),
    )
    for x, y, d in toes:
        draw.ellipse(box(x, y, x + d, y + d), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font: the same on every machine, nothing to install.
    return ImageFont.load_default(size=size)


def draw_screenshot(*, title: str, lead: str, cards: list[tuple[str, str]]) -> Image.Image:
    """A narrow install screenshot in the app's own layout and colours (at 2x)."""
    width, height = SCREENSHOT_SIZE
    image = Image.new("RGB", SCREENSHOT_SIZE, PAGE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 112), fill=BRAND)
    mark = draw_mark(60, inset=0.04, rounded=True)
    image.paste(mark, (32, 26), mark)
    draw.text((108, 34), "Footing", font=_font(44), fill=WHITE)

    y = 160
    for line in _wrap(title, _font(60), width - 64):
        draw.text((32, y), line, font=_font(60), fill=INK)
        y += 74
    y += 12
    for line in _wrap(lead, _font(34), width - 64):
        draw.text((32, y), line, font=_font(34), fill=MUTED)
        y += 46
    y += 28
    for heading, text in cards:
        lines = _wrap(text, _font(30), width - 128)
        bottom = y + 96 + 40 * len(lines)
        draw.rounded_rectangle(
            (32, y, width - 32, bottom), radius=28, fill=WHITE, outline=LINE, width=2
        )
        draw.text((64, y + 30), heading, font=_font(36), fill=BRAND)
        for i, line in enumerate(lines):
            draw.text((64, y + 84 + 40 * i), line, font=_font(30), fill=MUTED)
        y = bottom + 24

    draw.rectangle((0, height - 128, width, height), fill=WHITE)
    draw.line((0, height - 128, width, height - 128), fill=LINE, width=2)
    for i, label in enumerate(("Home", "Learn", "Routines", "Exercises")):
        centre = width * (2 * i + 1) // 8
        colour = BRAND if i == 2 else MUTED
        draw.rounded_rectangle(
            (centre - 22, height - 104, centre + 22, height - 60), radius=10, fill=colour
        )
        text_width = draw.textlength(label, font=_font(26))
        draw.text((centre - text_width / 2, height - 50), label, font=_font(26), fill=colour)
    return image


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


SCREENSHOTS = {
    "screenshot-routines.png": {
        "title": "Routines",
        "lead": "Each routine follows one stage of the clinic's plan. Save one and it works "
        "with no signal.",
        "cards": [
            ("Calm the pain", "Gentle stretches and self-massage for the first weeks."),
            ("Strengthen the foot", "Short-foot, toe yoga and slow heel raises."),
            ("The whole chain", "Hips, trunk and balance for a return to running."),
        ],
    },
    "screenshot-offline.png": {
        "title": "Saved for offline",
        "lead": "You're offline. Saved routines still work.",
        "cards": [
            ("Plantar fasciitis: calm the pain", "6 exercises · 180 KB · saved today"),
            ("Strengthen the foot", "7 exercises · 210 KB · saved yesterday"),
        ],
    },
}


def icons_build(*, out_dir: Path) -> list[Path]:
    """Write every icon, the favicon and the install screenshots into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for spec in ICONS:
        path = out_dir / spec.name
        image = draw_mark(spec.size, inset=spec.inset, rounded=spec.rounded)
        if not spec.rounded:
            image = image.convert("RGB")
        image.save(path, optimize=True)
        written.append(path)
    favicon = out_dir / "favicon.ico"
    draw_mark(max(FAVICON_SIZES), inset=0.06, rounded=True).save(
        favicon, sizes=[(s, s) for s in FAVICON_SIZES]
    )
    written.append(favicon)
    for name, content in SCREENSHOTS.items():
        path = out_dir / name
        draw_screenshot(**content).save(path, optimize=True)  # type: ignore[arg-type]
        written.append(path)
    return written
