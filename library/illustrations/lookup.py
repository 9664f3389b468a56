"""Reads: an exercise's illustration URLs, for the pages, the API and offline copies.

The one place URLs are computed (templates, API schemas, the player and the offline
manifest all call `exercise_illustration`). It reads the index `build_illustrations`
wrote, so an exercise without a pose file, or a checkout that was never built, simply
has no illustration instead of a broken image.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

from library.illustrations.renditions import (
    DEFAULT_WIDTH,
    INDEX_NAME,
    KINDS,
    RENDITIONS,
    file_name,
    rendition_height,
    srcset,
)

STATIC_FOLDER = "illustrations"


def build_dir() -> Path:
    return Path(settings.BUILD_STATIC_DIR) / STATIC_FOLDER


@dataclass(frozen=True)
class ImageSet:
    """One picture at every width: `url` is the DEFAULT_WIDTH file, `srcset` lists all."""

    url: str
    srcset: str
    width: int
    height: int


@dataclass(frozen=True)
class Illustration:
    alt: str
    still: ImageSet
    animated: ImageSet

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=4)
def _index(path: Path, mtime: float) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _entry(slug: str) -> dict[str, Any] | None:
    path = build_dir() / INDEX_NAME
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    entry: dict[str, Any] | None = _index(path, mtime).get(slug)
    return entry


def static_names(*, slug: str) -> list[str]:
    """Static names of every file of the exercise's illustration (offline copies)."""
    if _entry(slug) is None:
        return []
    return [f"{STATIC_FOLDER}/{file_name(slug, k, w)}" for k in KINDS for w in RENDITIONS]


def _image_set(slug: str, kind: str) -> ImageSet:
    urls = {
        width: staticfiles_storage.url(f"{STATIC_FOLDER}/{file_name(slug, kind, width)}")
        for width in RENDITIONS
    }
    return ImageSet(
        url=urls[DEFAULT_WIDTH],
        srcset=srcset(urls),
        width=DEFAULT_WIDTH,
        height=rendition_height(DEFAULT_WIDTH),
    )


def exercise_illustration(*, slug: str) -> Illustration | None:
    entry = _entry(slug)
    if entry is None:
        return None
    return Illustration(
        alt=entry["description"],
        still=_image_set(slug, "still"),
        animated=_image_set(slug, "animated"),
    )
