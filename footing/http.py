"""HTTP helpers shared by both adapters: the htmx-aware request, the logged-in person, the
partial an htmx request gets, project errors as pages, the client's address, a page
measured as a phone is served it, and responses that must stay private."""

from __future__ import annotations

import io
import ipaddress
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django_htmx.middleware import HtmxDetails

from footing.errors import NotFound


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for type checking)."""

    htmx: HtmxDetails


def logged_in_user(request: HttpRequest) -> User:
    """The person a view behind `login_required` (or an API route behind django_auth)
    serves, typed as a `User`. Anyone else is refused, in case a view forgot its guard."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    # The person itself rather than Django's lazy stand-in for it (`request.user`): each
    # attribute read through the stand-in first fails a lookup, and a write reads dozens.
    person: User = getattr(user, "_wrapped", user)
    return person


def partial_template(request: HtmxHttpRequest, template: str, partial: str) -> str:
    """`template#partial` for an htmx swap (a filter, a form); the whole `template` for a
    boosted navigation, which wants the whole page, and for everything else. A view using
    it varies on HX-Request (`@vary_on_headers("HX-Request")`)."""
    htmx = getattr(request, "htmx", None)
    return f"{template}#{partial}" if htmx and not htmx.boosted else template


def page_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The project's NotFound (a row that is not there, or not this person's or clinic's)
    becomes Django's 404 page; the API maps it in its own exception handler."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapped


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


def reversible_urls(names: tuple[str, ...], *args: str) -> list[str]:
    """The URLs of those named pages this build of the app has."""
    urls = []
    for name in names:
        try:
            urls.append(reverse(name, args=args))
        except NoReverseMatch:
            continue
    return urls


_handler: BaseHandler | None = None


def served_size(url: str, *, scheme: str, host: str, cookie: str = "") -> int | None:
    """The body size of GET `url` through the whole middleware stack, as an anonymous phone
    (or, with `cookie`, the person of that session) gets it without compression; None when
    it would not be a 200.

    BaseHandler, not WSGIHandler: no request_started/finished signals, which would close
    the database connection the outer request is still using.
    """
    global _handler
    if _handler is None:
        # Kept only once its middleware loaded: a failed load (a static file vanishing
        # under WhiteNoise's scan) must not leave a handler without a chain for good.
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    server, _, port = host.partition(":")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": server,
        "SERVER_PORT": port or ("443" if scheme == "https" else "80"),
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "text/html,application/json",
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(b""),
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value if scheme == "https" else "http"
    response = _handler.get_response(WSGIRequest(environ))
    # Not response.close(): that sends request_finished too. An HttpResponse holds no
    # resources; a streaming one (never a page) is not measured.
    if response.status_code != 200 or not isinstance(response, HttpResponse):
        return None
    return len(response.content)


def clinic_private[R: HttpResponseBase](response: R) -> R:
    """Mark a response that only some people may see (a clinic's own routine): never
    kept by a shared cache or the server's page cache, and never reused by a browser
    for another session (Vary: Cookie)."""
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def is_private(response: HttpResponseBase) -> bool:
    return "private" in response.get("Cache-Control", "")
