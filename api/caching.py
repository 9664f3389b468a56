"""HTTP caching for content reads: one ETag for all content, from its version.

Any content change bumps the version, so a client holding the current ETag has the
current answer; the 304 costs one tiny query and no serialisation.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.http import etag
from ninja.decorators import decorate_view

from library.selectors import content_version


def _content_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return f"content-{content_version()}"


def _revalidate(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapped


content_cached = decorate_view(_revalidate, etag(_content_etag))
