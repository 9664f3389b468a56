"""The installable app: its shell (what the service worker precaches) and its web manifest.

Read by the service worker view and the web app manifest view. Nothing here is typed by
hand twice: the shell comes from the staticfiles manifest (the hashed names). What a saved
routine holds, and the app's version, are the library's: library/offline/manifest.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.urls import reverse

from footing.http import reversible_urls
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


def _static_names() -> list[str]:
    hashed: dict[str, str] = getattr(staticfiles_storage, "hashed_files", {})
    return sorted(hashed)


def precache_urls() -> list[str]:
    """The app shell, cached when the service worker installs: pages that must open with
    no signal, the web app manifest and the hashed static files."""
    names = [
        name
        for name in _static_names()
        if (name.startswith(SHELL_PREFIXES) or name in SHELL_FILES) and name not in NOT_IN_SHELL
    ]
    return reversible_urls(SHELL_PAGES) + [static(name) for name in names]


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
        "lang": "en-GB",
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
