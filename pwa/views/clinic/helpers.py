"""Plumbing the clinic's pages share (the rest is in footing.http)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def back_to(request: HttpRequest, default: str, **kwargs: int) -> HttpResponseRedirect:
    """Back where a form came from (`next`: the list with its filters, say), if that is
    one of the clinic's own pages; else to `default` (a URL name)."""
    target = request.POST.get("next", "")
    if target.startswith("/clinic/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse(default, kwargs=kwargs))
