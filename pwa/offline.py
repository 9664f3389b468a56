"""What a phone keeps offline: the app shell, a saved routine's files, and their versions.

Read by the service worker view (its version and precache list), the web app manifest view
and the offline-manifest API. Nothing here is typed by hand twice: the shell comes from
the staticfiles manifest (the hashed names), a routine's files from its published version.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse

from library import selectors
from library.illustrations.lookup import STATIC_FOLDER
from library.illustrations.lookup import static_names as illustration_static_names
from library.illustrations.renditions import DEFAULT_WIDTH, RENDITIONS, file_name
from pwa.icons import ICONS, SCREENSHOT_SIZE, SCREENSHOTS

APP_NAME = "Footing"
THEME_COLOUR = "#0d5f5f"
BACKGROUND_COLOUR = "#f6f4ef"

# The app shell: every stylesheet, script and icon the pages load, plus htmx. Big optional
# files (install screenshots, illustrations, other htmx builds) are left to the runtime
# cache or to a routine's saved copy.
SHELL_PREFIXES = ("css/", "js/", "icons/")
SHELL_FILES = ("django_htmx/htmx-2.min.js",)
NOT_IN_SHELL = ("js/sw.js", *(f"icons/{name}" for name in SCREENSHOTS))

# Pages that must open with no signal even if never visited: the start page, the offline
# page, and the self-check (it runs in the browser, so it works offline).
SHELL_PAGES = ("pwa:home", "pwa:offline", "pwa:selfcheck", "pwa:web_manifest")

# Pages a routine's saved copy holds besides the routine and its exercises, when the app
# has them: the guided session player plays the routine with no signal.
ROUTINE_EXTRA_PAGES = ("pwa:player",)


def _static_names() -> list[str]:
    hashed: dict[str, str] = getattr(staticfiles_storage, "hashed_files", {})
    return sorted(hashed)


def _static_fingerprint() -> str:
    """Changes whenever any collected static file changes (its content hash is in its name)."""
    manifest_hash = getattr(staticfiles_storage, "manifest_hash", "")
    if manifest_hash:
        return str(manifest_hash)
    hashed: dict[str, str] = getattr(staticfiles_storage, "hashed_files", {})
    return hashlib.sha256(repr(sorted(hashed.items())).encode()).hexdigest()[:12]


def app_version() -> str:
    """The version in the service worker's cache names: the static files and the content.

    A new value makes the browser see a new service worker (its bytes differ), which waits
    until the person taps "Update"; its activation then drops the old shell and page caches.
    """
    key = f"{_static_fingerprint()}:{selectors.content_version()}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def precache_urls() -> list[str]:
    """The app shell, cached when the service worker installs: pages that must open with
    no signal, the web app manifest and the hashed static files."""
    names = [
        name
        for name in _static_names()
        if (name.startswith(SHELL_PREFIXES) or name in SHELL_FILES) and name not in NOT_IN_SHELL
    ]
    return _reversible(SHELL_PAGES) + [static(name) for name in names]


def web_manifest() -> dict[str, Any]:
    """The install manifest (https://www.w3.org/TR/appmanifest/), icons by their hashed URLs."""
    width, height = SCREENSHOT_SIZE
    return {
        "id": "/",
        "name": APP_NAME,
        "short_name": APP_NAME,
        "description": (
            "Foot pain from running: learn what it is, do your clinic's routines with no "
            "signal, and track your mornings."
        ),
        "lang": "en",
        "dir": "ltr",
        "start_url": reverse("pwa:home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["health", "fitness", "medical"],
        "icons": [
            {
                "src": static(f"icons/{icon.name}"),
                "sizes": f"{icon.size}x{icon.size}",
                "type": "image/png",
                "purpose": icon.purpose,
            }
            for icon in ICONS
        ],
        "screenshots": [
            {
                "src": static(f"icons/{name}"),
                "sizes": f"{width}x{height}",
                "type": "image/png",
                "form_factor": "narrow",
                "label": content["title"],
            }
            for name, content in SCREENSHOTS.items()
        ],
        "shortcuts": [
            {
                "name": "Morning check-in",
                "short_name": "Check-in",
                "description": "Record this morning's first-step pain.",
                "url": "/checkin/",
                "icons": [{"src": static("icons/icon-192.png"), "sizes": "192x192"}],
            },
            {
                "name": "My routines",
                "short_name": "My routines",
                "description": "The routines saved on this phone, ready with no signal.",
                "url": reverse("pwa:offline"),
                "icons": [{"src": static("icons/icon-192.png"), "sizes": "192x192"}],
            },
        ],
    }


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


def routine_offline_manifest(*, slug: str, scheme: str, host: str) -> OfflineManifest:
    """Every file the routine needs with no signal, each with the size the phone downloads.

    Page sizes are measured by rendering them here exactly as a phone would be served them
    (uncompressed): a progress bar that adds up to 100% needs real numbers, not guesses.
    """
    version = selectors.routine_version_get(slug=slug)
    exercise_slugs = list(dict.fromkeys(i["exercise"]["slug"] for i in version.snapshot["items"]))
    pages = [reverse("pwa:routine", args=[slug]), *_reversible(ROUTINE_EXTRA_PAGES, slug)]
    pages += [reverse("pwa:exercise", args=[s]) for s in exercise_slugs]
    files = [
        OfflineFile(url=url, bytes=size, kind="page")
        for url in pages
        if (size := _served_size(url, scheme=scheme, host=host)) is not None
    ]
    data_url = reverse("api:routine_detail", args=[slug])
    if (size := _served_size(data_url, scheme=scheme, host=host)) is not None:
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
    )


def _reversible(names: tuple[str, ...], *args: str) -> list[str]:
    """The URLs of those named pages this build of the app has."""
    urls = []
    for name in names:
        try:
            urls.append(reverse(name, args=args))
        except NoReverseMatch:
            continue
    return urls


_handler: BaseHandler | None = None


def _served_size(url: str, *, scheme: str, host: str) -> int | None:
    """The body size of GET `url` through the whole middleware stack, as an anonymous phone
    gets it without compression; None when it would not be a 200 (it is then not saved).

    BaseHandler, not WSGIHandler: no request_started/finished signals, which would close
    the database connection the outer request is still using.
    """
    global _handler
    if _handler is None:
        _handler = BaseHandler()
        _handler.load_middleware()
    server, _, port = host.partition(":")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": server,
        "SERVER_PORT": port or ("443" if scheme == "https" else "80"),
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "text/html,application/json",
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(b""),
    }
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value if scheme == "https" else "http"
    response = _handler.get_response(WSGIRequest(environ))
    # Not response.close(): that sends request_finished too. An HttpResponse holds no
    # resources; a streaming one (never a page) is not measured.
    if response.status_code != 200 or not isinstance(response, HttpResponse):
        return None
    return len(response.content)
