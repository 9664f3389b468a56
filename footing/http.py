"""HTTP helpers shared by both adapters: the htmx-aware request, the client's address."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for type checking)."""

    htmx: HtmxDetails


def client_address(request: HttpRequest) -> str:
    """The address a request came from, as settings.PROXY_COUNT says to read it.

    Each trusted proxy appends the address it was reached from to X-Forwarded-For, so with
    N of them the client is the Nth entry from the right; whatever stands further left
    was written by the client and is ignored. With no proxy (N = 0) the header is
    ignored altogether. A header shorter than N, or an entry that is not an address,
    means the request did not come through the proxies as configured: the connection's
    own address is used, never something the client chose.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count: int = settings.PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
