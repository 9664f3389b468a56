"""Writing the illustrations: WebP stills and animations at every RENDITIONS width, an
index of what was written, and the contact sheet the clinic reviews.

Files keep stable names (`<slug>-still-640.webp`); `collectstatic`'s manifest then gives
each a URL carrying the hash of its bytes, which WhiteNoise serves as immutable. Output is
deterministic: the same pose file and renderer give the same bytes, so a hash only
changes when the picture does.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from library.illustrations.canvas import ASPECT, BACKGROUND, INK
from library.illustrations.poses import PoseFile, pose_files_read
from library.illustrations.scene import animation_frames, still_image

# The one list of widths: pages' srcset, the API and the photo pipeline all read it.
RENDITIONS = (320, 640, 960)
# The width a single-URL consumer (the session player, an offline copy) uses.
DEFAULT_WIDTH = 640
KINDS = ("still", "animated")
INDEX_NAME = "index.json"
# Bump when the drawing code changes, so a build redraws files whose pose did not change.
RENDERER_VERSION = "1"
STILL_QUALITY = 88
ANIMATED_EFFORT = 80
# Modules that never change a pixel (so editing them redraws nothing).
NOT_DRAWING = ("__init__.py", "lookup.py")


def srcset(urls: Mapping[int, str]) -> str:
    """`<img srcset>` for one picture at several widths: "a.webp 320w, b.webp 640w", the
    one way illustrations and uploaded photos list theirs."""
    return ", ".join(f"{url} {width}w" for width, url in sorted(urls.items()))


def default_width(widths: Iterable[int]) -> int:
    """The width a plain `src` gets: DEFAULT_WIDTH, else the widest narrower one a small
    picture has, else its narrowest."""
    available = sorted(widths)
    return max([w for w in available if w <= DEFAULT_WIDTH] or available[:1])


def rendition_height(width: int) -> int:
    return width * ASPECT[1] // ASPECT[0]


def file_name(slug: str, kind: str, width: int) -> str:
    return f"{slug}-{kind}-{width}.webp"


def _webp_still(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=STILL_QUALITY, method=6)
    return out.getvalue()


def _webp_animated(frames: list[tuple[Image.Image, int]]) -> bytes:
    out = io.BytesIO()
    first, *rest = (frame for frame, _ in frames)
    first.save(
        out,
        "WEBP",
        save_all=True,
        append_images=rest,
        duration=[duration for _, duration in frames],
        loop=0,
        # Lossless: flat colours and sharp edges compress better than with lossy WebP
        # (about 30% smaller here) and show no smudges around the figure.
        lossless=True,
        quality=ANIMATED_EFFORT,
        method=4,
        minimize_size=True,
        background=(*BACKGROUND, 255),
    )
    return out.getvalue()


@dataclass(frozen=True)
class Drawn:
    slug: str
    fingerprint: str
    description: str
    files: dict[str, bytes]


def fingerprint(pose_file: PoseFile) -> str:
    key = f"{RENDERER_VERSION}:{RENDITIONS}:{pose_file.fingerprint()}:{_code_fingerprint()}"
    return hashlib.sha256(key.encode()).hexdigest()


def _code_fingerprint() -> str:
    """The drawing code's own source: a drawing change redraws everything."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.name not in NOT_DRAWING:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def exercise_draw(pose_file: PoseFile) -> Drawn:
    """Every file of one exercise: a still and an animation at each width."""
    files: dict[str, bytes] = {}
    for width in RENDITIONS:
        still = still_image(pose_file, width=width)
        files[file_name(pose_file.exercise, "still", width)] = _webp_still(still)
        frames = animation_frames(pose_file, width=width)
        files[file_name(pose_file.exercise, "animated", width)] = _webp_animated(frames)
    return Drawn(pose_file.exercise, fingerprint(pose_file), pose_file.description, files)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as handle:
        handle.write(data)
        temporary = Path(handle.name)
    os.replace(temporary, path)


def index_read(out_dir: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((out_dir / INDEX_NAME).read_text())
    except (OSError, ValueError):
        return {}
    return data


def _stale(
    out_dir: Path, entry: dict[str, Any] | None, pose_file: PoseFile, *, only_missing: bool
) -> bool:
    if entry is None or not all((out_dir / name).exists() for name in entry["files"]):
        return True
    return not only_missing and entry.get("fingerprint") != fingerprint(pose_file)


def illustrations_build(
    *,
    poses_dir: Path,
    out_dir: Path,
    force: bool = False,
    only_missing: bool = False,
    workers: int | None = None,
) -> list[str]:
    """Draw every exercise whose pose (or the renderer) changed since the last build, or
    with `only_missing` just those never drawn; remove files no pose asks for any more.
    Returns the slugs drawn."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pose_files = pose_files_read(poses_dir)
    index = index_read(out_dir)
    wanted = {
        slug: pf
        for slug, pf in pose_files.items()
        if force or _stale(out_dir, index.get(slug), pf, only_missing=only_missing)
    }
    drawn = _draw_all(list(wanted.values()), workers=workers)
    for result in drawn:
        for name, data in result.files.items():
            _write_atomic(out_dir / name, data)
        index[result.slug] = {
            "fingerprint": result.fingerprint,
            "description": result.description,
            "files": {
                name: hashlib.sha256(data).hexdigest()
                for name, data in sorted(result.files.items())
            },
        }
    index = {slug: entry for slug, entry in sorted(index.items()) if slug in pose_files}
    keep = {name for entry in index.values() for name in entry["files"]} | {INDEX_NAME}
    for path in out_dir.glob("*.webp"):
        if path.name not in keep:
            path.unlink()
    # Rewritten only when it changed: a newer index is a newer static source, which makes
    # the next test run's collectstatic rewrite the hashed files another run is serving.
    written = json.dumps(index, indent=1, sort_keys=True).encode()
    index_path = out_dir / INDEX_NAME
    if not index_path.exists() or index_path.read_bytes() != written:
        _write_atomic(index_path, written)
    return sorted(wanted)


def _draw_all(pose_files: list[PoseFile], *, workers: int | None) -> Iterable[Drawn]:
    if len(pose_files) <= 1 or workers == 1:
        return [exercise_draw(pf) for pf in pose_files]
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        return list(pool.map(exercise_draw, pose_files))


def contact_sheet(*, poses_dir: Path, names: dict[str, str], columns: int = 4) -> Image.Image:
    """Every exercise's still with its name under it, for the clinic to review."""
    pose_files = pose_files_read(poses_dir)
    width = RENDITIONS[0]
    height = rendition_height(width)
    label = 34
    rows = -(-len(pose_files) // columns)
    sheet = Image.new(
        "RGB", (columns * (width + 16) + 16, rows * (height + label + 16) + 16), "white"
    )
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=17)
    for i, (slug, pf) in enumerate(sorted(pose_files.items())):
        x = 16 + (i % columns) * (width + 16)
        y = 16 + (i // columns) * (height + label + 16)
        sheet.paste(still_image(pf, width=width), (x, y))
        draw.text((x + 2, y + height + 8), names.get(slug, slug), fill=INK, font=font)
    return sheet
