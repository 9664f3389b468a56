"""Plumbing the clinic's pages share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpResponse

from footing.errors import NotFound
from footing.http import HtmxHttpRequest


def partial(request: HtmxHttpRequest, template: str, name: str) -> str:
    """htmx swaps (not boosted navigations) get just the fragment they asked for."""
    return f"{template}#{name}" if request.htmx and not request.htmx.boosted else template


def not_found(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A clinic row that is not this clinic's (or not there) is a 404 page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapped
