"""The URLs the JavaScript needs, in one dict built with `reverse()`.

Pages carry it as JSON (`#footing-urls` in `_base.html`, read by `static/js/urls.js`) and
the service worker gets it in its settings, so no URL is typed in JavaScript. A URL with a
part the JavaScript fills in reads `{name}` there: `/checkin/{day}/`. (Every page carries
the table, so it holds no routine's address: the sync answer gives those.)
To add one: a line in `_URLS` (or `_TEMPLATES`), then `url("name")` in JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse

_URLS = {
    "me": "api:me",
    "sync": "api:sync",
    "checkins": "api:checkin_create",
    "today": "api:today",
    "sessions": "api:session_create",
    "pushSubscribe": "api:push_subscribe",
    "pushUnsubscribe": "api:push_unsubscribe",
    "routineUpdatesSeen": "api:routine_updates_seen",
    "serviceWorker": "pwa:service_worker",
    "home": "pwa:home",
    "login": "accounts:login",
    "offline": "pwa:offline",
    "checkin": "pwa:checkin",
    "history": "pwa:history",
    "selfcheck": "pwa:selfcheck",
}

# name: (URL name, the argument the JavaScript fills in). The argument is reversed with a
# stand-in that every converter accepts, then turned into `{argument}`.
_TEMPLATES = {
    "checkinResult": ("pwa:checkin_result", "day"),
    "plan": ("api:plan", "slug"),
}
_STAND_IN = "0js0{}0"


def js_urls() -> dict[str, str]:
    urls = {name: reverse(view) for name, view in _URLS.items()}
    for name, (view, argument) in _TEMPLATES.items():
        stand_in = _STAND_IN.format(argument)
        urls[name] = reverse(view, args=[stand_in]).replace(stand_in, f"{{{argument}}}")
    urls["static"] = settings.STATIC_URL
    urls["icon"] = static("icons/icon-192.png")
    return urls


def js_urls_context(request: HttpRequest) -> dict[str, Any]:
    """For `_base.html`. A callable: templates that never show it never reverse it."""
    return {"js_urls": js_urls}
