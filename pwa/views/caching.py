"""Rendered content pages, kept for people who are not logged in (library.http_cache).

A content page is a pure function of the content version, the build, the URL and the
htmx headers, so for anyone not logged in it is answered with a 304 when the ETag
matches and kept ready to send otherwise. Logged-in people's pages may carry their own
details ("today"), so they are always rendered, and never kept.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.http import HttpRequest, HttpResponse

from library.http_cache import content_view


def cached_content_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    anonymous = content_view(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return cast(HttpResponse, anonymous(request, *args, **kwargs))

    return wrapped
