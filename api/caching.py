"""HTTP caching for content reads: adapters over library.http_cache.

A content answer's ETag comes from the content version and the build, so a phone holding
the current one gets a 304 before the operation runs; the answer itself is kept (with its
gzip body) for requests without a session. Content is public: shared caches may keep it,
but must ask again before each use (`max-age=0, must-revalidate`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control
from ninja.decorators import decorate_view

from footing.http import is_private
from library.http_cache import content_view


def _public(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = view(request, *args, **kwargs)
        # A clinic's own routine (marked private by its view) stays private: never public,
        # so neither a shared cache nor the content store keeps it.
        if not is_private(response):
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapped


# Outermost first: the 304 a matching ETag gets carries the Cache-Control too.
content_cached = decorate_view(_public, content_view)
