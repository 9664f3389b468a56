"""HTTP caching for content reads: one ETag for all content, from its version.

Any content change bumps the version, so a client holding the current ETag has the
current answer and gets a 304 for one tiny query. Full answers are kept in the cache
under the same version, so serialising a routine happens once per content change.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import etag
from ninja.decorators import decorate_view

from library.selectors import content_version

RESPONSE_TTL = 60 * 60


def _version(request: HttpRequest) -> str:
    """The content version, read once per request (the ETag and the cache both need it)."""
    if not hasattr(request, "_content_version"):
        request._content_version = content_version()  # type: ignore[attr-defined]
    return request._content_version  # type: ignore[attr-defined,no-any-return]


def _content_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return f"content-{_version(request)}"


def _cached_by_version(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = (
            "api:"
            + hashlib.sha256(f"{_version(request)}|{request.get_full_path()}".encode()).hexdigest()
        )
        response: HttpResponse | None = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                cache.set(key, response, RESPONSE_TTL)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapped


# Outermost first: the ETag check answers 304 before the cache or the view is touched.
content_cached = decorate_view(_cached_by_version, etag(_content_etag))
