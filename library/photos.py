"""The clinic's own exercise photos: checked, cleaned and written as WebP renditions.

An upload is judged by its content, never its name or browser-sent type: Pillow must
recognise it as JPEG, PNG or WebP. Its dimensions are read from the header before any
pixel is decoded, so a decompression bomb (a tiny file claiming a huge image) is refused
without costing memory. The pixels are then turned upright (EXIF orientation), copied
into a fresh image (so no EXIF, GPS, XMP or ICC data travels on) and saved at each
RENDITIONS width, each file named by the hash of its bytes. Files are written beside their
final name and renamed into place; on any error nothing stays behind.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from PIL import Image, ImageOps, UnidentifiedImageError

from footing.errors import Invalid
from library.illustrations.renditions import RENDITIONS, default_width, srcset
from library.models import Exercise, ExercisePhoto
from library.services import content_release_bump

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# MPO is how Pillow names the JPEG many phones write (a main picture plus a preview).
FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
FOLDER = "exercise-photos"
QUALITY = 82
FIELD = "photo"

NOT_AN_IMAGE = "This file is not a photo we can read. Upload a JPEG, PNG or WebP image."
WRONG_FORMAT = "{format} images are not accepted. Upload a JPEG, PNG or WebP image."
TOO_BIG = "The file is {size:.1f} MB; the limit is 10 MB. Export a smaller copy and try again."
TOO_MANY_PIXELS = (
    "The photo is {megapixels} megapixels; the limit is 40. Export a smaller copy and try again."
)
TRUNCATED = "The photo file is incomplete (cut off while copying or uploading). Try again."
ANIMATED = "Animated images are not accepted. Upload a single photo."


@dataclass(frozen=True)
class PreparedPhoto:
    """Cleaned renditions ready to write: width -> WebP bytes, and the picture's size."""

    renditions: dict[int, bytes]
    width: int
    height: int


def photo_prepare(*, upload: IO[bytes]) -> PreparedPhoto:
    """Check and clean an upload entirely in memory. Raises Invalid with a clear message."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        upload.seek(0, os.SEEK_END)
        raise Invalid(TOO_BIG.format(size=upload.tell() / 1024 / 1024), field=FIELD)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse it all.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            return _clean(image)
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard fired first (far beyond our limit): say so plainly.
        raise Invalid(TOO_MANY_PIXELS.format(megapixels="over 89"), field=FIELD) from None
    except UnidentifiedImageError:
        raise Invalid(NOT_AN_IMAGE, field=FIELD) from None
    except (OSError, SyntaxError, ValueError) as error:
        # Pillow reports a cut-off file as OSError ("image file is truncated") or a
        # broken chunk as SyntaxError/ValueError while decoding.
        raise Invalid(TRUNCATED, field=FIELD) from error


def _clean(image: Image.Image) -> PreparedPhoto:
    if image.format not in FORMATS:
        raise Invalid(WRONG_FORMAT.format(format=image.format or "These"), field=FIELD)
    width, height = image.size
    if width * height > MAX_PIXELS:
        megapixels = f"{width * height / 1e6:.0f}"
        raise Invalid(TOO_MANY_PIXELS.format(megapixels=megapixels), field=FIELD)
    if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
        raise Invalid(ANIMATED, field=FIELD)
    image.load()
    upright = ImageOps.exif_transpose(image)
    pixels = _flattened(upright)
    renditions = {}
    for target in _widths(pixels.width):
        size = (target, max(1, round(pixels.height * target / pixels.width)))
        resized = pixels if size == pixels.size else pixels.resize(size, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        # A fresh image and no exif/icc/xmp arguments: the WebP carries pixels only.
        resized.save(out, "WEBP", quality=QUALITY, method=6)
        renditions[target] = out.getvalue()
    return PreparedPhoto(renditions=renditions, width=pixels.width, height=pixels.height)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB pixels in a brand-new image (transparency laid on white)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        base = Image.new("RGB", rgba.size, (255, 255, 255))
        base.paste(rgba, mask=rgba.getchannel("A"))
        return base
    return Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())


def _widths(source_width: int) -> list[int]:
    """Every RENDITIONS width the photo can fill without being blown up; a photo narrower
    than the smallest keeps its own width."""
    fitting = [w for w in RENDITIONS if w <= source_width]
    return fitting or [source_width]


def photo_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def photo_name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32] + ".webp"


def _write_all(renditions: dict[int, bytes]) -> tuple[dict[str, str], list[Path]]:
    """Write each rendition atomically; returns the width -> name map and the files that
    did not exist before (so a failure later can remove exactly those)."""
    folder = photo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    created: list[Path] = []
    try:
        for width, data in renditions.items():
            name = photo_name(data)
            target = folder / name
            files[str(width)] = name
            if target.exists():
                continue  # same bytes, same name: already there
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as out:
                out.write(data)
                temporary = Path(out.name)
            try:
                os.replace(temporary, target)
            except OSError:
                temporary.unlink(missing_ok=True)
                raise
            created.append(target)
    except OSError:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return files, created


def exercise_photo_add(
    *, exercise: Exercise, upload: IO[bytes], alt: str, position: int = 0
) -> ExercisePhoto:
    prepared = photo_prepare(upload=upload)
    return exercise_photo_save(exercise=exercise, prepared=prepared, alt=alt, position=position)


def exercise_photo_save(
    *, exercise: Exercise, prepared: PreparedPhoto, alt: str, position: int = 0
) -> ExercisePhoto:
    """Write the files, then the row; if the row fails, the new files go again."""
    if not alt.strip():
        raise Invalid("Describe what the photo shows.", field="alt")
    files, created = _write_all(prepared.renditions)
    try:
        with transaction.atomic():
            photo = ExercisePhoto.objects.create(
                exercise=exercise,
                alt=alt.strip(),
                position=position,
                files=files,
                width=prepared.width,
                height=prepared.height,
            )
            # Pages are cached per content version: a new photo must show at once.
            content_release_bump(reason=f"photo added to {exercise.slug}")
    except Exception:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return photo


def exercise_photo_delete(*, photo: ExercisePhoto) -> None:
    """Remove the row, then every file no other photo still uses."""
    names = set(photo.files.values())
    with transaction.atomic():
        photo.delete()
        content_release_bump(reason=f"photo removed from {photo.exercise.slug}")
    still_used = {
        name
        for files in ExercisePhoto.objects.values_list("files", flat=True)
        for name in files.values()
    }
    for name in names - still_used:
        (photo_dir() / name).unlink(missing_ok=True)


@dataclass(frozen=True)
class PhotoView:
    """What a page or the API needs to show one photo."""

    alt: str
    url: str
    srcset: str
    width: int
    height: int


def exercise_photos(*, exercise: Exercise) -> list[PhotoView]:
    """The exercise's photos, ready for <img srcset>. One query."""
    views = []
    for photo in ExercisePhoto.objects.filter(exercise=exercise):
        urls = {int(w): reverse("exercise_photo", args=[name]) for w, name in photo.files.items()}
        default = default_width(urls)
        views.append(
            PhotoView(
                alt=photo.alt,
                url=urls[default],
                srcset=srcset(urls),
                width=default,
                height=max(1, round(photo.height * default / photo.width)),
            )
        )
    return views
