"""Rendered content pages, cached for people who are not logged in.

Every content page is a pure function of the content version, the URL and the htmx
headers; caching the rendered response under those keys turns most requests into one
tiny query (the content version) and a dictionary lookup. A content change bumps the
version, so stale pages are never served. Logged-in people's pages may carry their own
details, so they are always rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from library.selectors import content_version

PAGE_TTL = 60 * 60


def _key(request: HttpRequest) -> str:
    parts = "|".join(
        (
            content_version(),
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Boosted", ""),
        )
    )
    return "page:" + hashlib.sha256(parts.encode()).hexdigest()


def cached_content_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request)
        response: HttpResponse | None = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            # Only plain successes without cookies: never one person's Set-Cookie to another.
            if response.status_code == 200 and not response.cookies:
                cache.set(key, response, PAGE_TTL)
        return response

    return wrapped
