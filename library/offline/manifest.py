"""What a phone keeps of a routine saved for offline, and the version of the app it holds.

`routine_offline_manifest` lists every file a saved routine needs with no signal (its
page, its player, each exercise's page, its data and illustrations within a budget), each
with the size a phone downloads, measured by serving it. The pages are named by their URL
names and reversed, so no adapter is imported. `app_version` changes with the app's code a
phone holds (static files and templates), never with the content: it names the service
worker's caches and tells a phone to refresh saved copies; a content publish reaches them
through the sync check instead. The app shell and the web manifest are the installable
app's: pwa/offline.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.utils import get_app_template_dirs
from django.templatetags.static import static
from django.urls import reverse

from footing.http import reversible_urls, served_size
from library import selectors
from library.illustrations.lookup import STATIC_FOLDER
from library.illustrations.lookup import static_names as illustration_static_names
from library.illustrations.renditions import DEFAULT_WIDTH, RENDITIONS, file_name
from library.selectors import NONE, RoutineIds

# Pages a routine's saved copy holds besides the routine and its exercises, when the app
# has them: the guided session player plays the routine with no signal.
ROUTINE_EXTRA_PAGES = ("pwa:player",)


def _static_fingerprint() -> str:
    """Changes whenever any collected static file changes (its content hash is in its name)."""
    manifest_hash = getattr(staticfiles_storage, "manifest_hash", "")
    if manifest_hash:
        return str(manifest_hash)
    hashed: dict[str, str] = getattr(staticfiles_storage, "hashed_files", {})
    return hashlib.sha256(repr(sorted(hashed.items())).encode()).hexdigest()[:12]


@lru_cache(maxsize=1)
def _templates_fingerprint() -> str:
    """Changes whenever a template changes. Once per process: templates are code, read
    from disk at start like the rest of it (a change ships with a restart)."""
    engines: list[dict[str, Any]] = settings.TEMPLATES
    folders = [Path(d) for engine in engines for d in engine.get("DIRS", [])]
    folders += [Path(d) for d in get_app_template_dirs("templates")]
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def app_version() -> str:
    """The version of the app's code a phone holds: the static files and the templates.

    A new value makes the browser see a new service worker (its bytes differ), which waits
    until the person taps "Update"; its activation then drops the old shell and page caches.
    Content is not part of it: publishing a routine must not ask everyone to update the
    app (saved copies refresh quietly through the sync check, which says what changed).
    """
    key = f"{_static_fingerprint()}:{_templates_fingerprint()}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class OfflineFile:
    url: str
    bytes: int
    # page: a full HTML page; data: JSON the player reads; image: an illustration.
    kind: str


@dataclass(frozen=True)
class OfflineManifest:
    slug: str
    title: str
    version: int
    changelog: str
    app_version: str
    exercises: int
    files: list[OfflineFile] = field(default_factory=list)
    # "library": everyone's, may stay on a shared phone; "clinic": one clinic's own,
    # saved under the patient's session and cleared at log-out.
    audience: str = "library"

    @property
    def total_bytes(self) -> int:
        return sum(f.bytes for f in self.files)


# What "Save for offline" may download for one routine (the budget).
SAVE_BUDGET_BYTES = 500 * 1024


def exercise_image_names(*, slug: str, animated_width: int = DEFAULT_WIDTH) -> list[str]:
    """The illustration files a saved routine keeps for one exercise: the routine page's
    thumbnail (the smallest still), the exercise page's still and its animation.

    Not every srcset width: that would triple the download; offline, the service worker
    answers a srcset asking for another width with the widest one kept.
    """
    available = set(illustration_static_names(slug=slug))
    wanted = [
        f"{STATIC_FOLDER}/{file_name(slug, kind, width)}"
        for kind, width in (
            ("still", min(RENDITIONS)),
            ("still", DEFAULT_WIDTH),
            ("animated", animated_width),
        )
    ]
    return [name for name in dict.fromkeys(wanted) if name in available]


def _illustration_files(exercise_slugs: list[str], *, budget: int) -> list[OfflineFile]:
    """Each exercise's pictures, animations at the default width while the routine fits
    the budget; if it does not, the largest animations step down a width at a time (a
    smaller moving picture offline beats a routine too heavy to save)."""
    animated = {slug: DEFAULT_WIDTH for slug in exercise_slugs}
    smaller = sorted((w for w in RENDITIONS if w < DEFAULT_WIDTH), reverse=True)

    def files() -> list[OfflineFile]:
        return [
            OfflineFile(url=static(name), bytes=staticfiles_storage.size(name), kind="image")
            for slug in exercise_slugs
            for name in exercise_image_names(slug=slug, animated_width=animated[slug])
        ]

    chosen = files()
    while sum(f.bytes for f in chosen) > budget:
        sizes = {f.url: f.bytes for f in chosen}
        candidates = [
            (sizes.get(static(_animated_name(slug, width)), 0), slug)
            for slug, width in animated.items()
            if any(w < width for w in smaller)
        ]
        if not candidates:
            break
        _, slug = max(candidates)
        animated[slug] = next(w for w in smaller if w < animated[slug])
        chosen = files()
    return chosen


def _animated_name(slug: str, width: int) -> str:
    return f"{STATIC_FOLDER}/{file_name(slug, 'animated', width)}"


def routine_offline_manifest(
    *, slug: str, scheme: str, host: str, also: RoutineIds = NONE, cookie: str = ""
) -> OfflineManifest:
    """Every file the routine needs with no signal, each with the size the phone downloads.

    Page sizes are measured by rendering them here exactly as a phone would be served them
    (uncompressed): a progress bar that adds up to 100% needs real numbers, not guesses.
    A clinic's own routine (visible through `also`) is measured as the person asking gets
    it (`cookie`: their session), since nobody else may open its pages.
    """
    version = selectors.routine_version_get(slug=slug, also=also)
    clinic = version.routine.kind == "clinic"
    cookie = cookie if clinic else ""
    exercise_slugs = list(dict.fromkeys(i["exercise"]["slug"] for i in version.snapshot["items"]))
    pages = [reverse("pwa:routine", args=[slug]), *reversible_urls(ROUTINE_EXTRA_PAGES, slug)]
    pages += [reverse("pwa:exercise", args=[s]) for s in exercise_slugs]
    files = [
        OfflineFile(url=url, bytes=size, kind="page")
        for url in pages
        if (size := served_size(url, scheme=scheme, host=host, cookie=cookie)) is not None
    ]
    data_url = reverse("api:routine_detail", args=[slug])
    if (size := served_size(data_url, scheme=scheme, host=host, cookie=cookie)) is not None:
        files.append(OfflineFile(url=data_url, bytes=size, kind="data"))
    spent = sum(f.bytes for f in files)
    files += _illustration_files(exercise_slugs, budget=SAVE_BUDGET_BYTES - spent)
    return OfflineManifest(
        slug=slug,
        title=version.snapshot["title"],
        version=version.number,
        changelog=version.changelog,
        app_version=app_version(),
        exercises=len(exercise_slugs),
        files=files,
        audience="clinic" if clinic else "library",
    )
