"""Request and response plumbing Django has no setting for: headers, the CSRF cookie for
members, who owns the phone's session, and NUL bytes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token

# Where the JSON API lives (footing/urls.py): answers in its own shape, no pages.
API_PREFIX = "/api/"

# Footing needs none of these powerful features, except keeping the screen awake during
# a session (Screen Wake Lock) — and only for itself, never for an embedded page.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "screen-wake-lock=(self)",
    ]
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class MemberCsrfCookieMiddleware:
    """Make sure a logged-in person's browser holds a CSRF cookie.

    Pages carry no token (they are the same for everyone, so they can be cached and
    saved offline); writes from the outbox read the cookie instead. Only when it is
    missing: renewing it on every answer would put a Set-Cookie on person-free pages,
    which then could not be kept (footing/storable.py). Logging in sets a fresh one.
    Anonymous visitors get no cookie, so their pages stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and settings.CSRF_COOKIE_NAME not in request.COOKIES:
            get_token(request)
        return self.get_response(request)


# Who the server has logged in, for the phone's scripts: "<id>:<name, URL-encoded>". Pages
# are the same for everyone, so they cannot say; this cookie is set and cleared by the
# server with the session itself (never by a cached page), so a write made offline is
# labelled with its real owner and the log-out prompt can name them.
OWNER_COOKIE = "footing_owner"
# A write replayed from the phone names its owner here; the server refuses it for anyone else.
OWNER_HEADER = "X-Footing-Owner"
OWNER_META = "HTTP_" + OWNER_HEADER.upper().replace("-", "_")


def owner_cookie_value(user: User) -> str:
    return f"{user.pk}:{quote(user.get_username(), safe='')}"


class OwnerCookieMiddleware:
    """Keep the owner cookie equal to the session: set at log-in, gone at log-out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        held = request.COOKIES.get(OWNER_COOKIE)
        if isinstance(user, User) and user.is_authenticated:
            value = owner_cookie_value(user)
            if held != value:
                response.set_cookie(
                    OWNER_COOKIE,
                    value,
                    max_age=settings.SESSION_COOKIE_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    samesite="Lax",
                )
        elif held is not None:
            response.delete_cookie(OWNER_COOKIE, samesite="Lax")
        return response


class OwnerCheckMiddleware:
    """A write sent from the phone's outbox carries the id of the account that made it;
    sent under anyone else's session it is refused (403, kept on the phone for its
    owner), so nobody's check-in is ever filed under the person logged in now."""

    REFUSED = "This was saved on this phone by another account. Log in as them to send it."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # request.headers would build a dict of every header on each write (~50 µs).
        owner = request.META.get(OWNER_META)
        if owner is not None and request.method not in {"GET", "HEAD", "OPTIONS"}:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and str(user.pk) != owner.strip():
                return JsonResponse({"detail": self.REFUSED, "field": None}, status=403)
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """Refuse a NUL byte (`%00`) in an address or a page's form before any view sees it.

    No page or API route has a use for one, and PostgreSQL refuses it in text, which
    would otherwise surface as a 500 from whichever query first met it. The API answers
    in its own error shape (`{"detail": ...}`, as its schema documents); pages in plain
    text. The API's JSON bodies are checked by their schemas (`api.schemas.InSchema`).
    """

    IN_ADDRESS = "The address contains a NUL byte."
    IN_FORM = "The form contains a NUL character."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        if _nul_in_address(request):
            if is_api:
                return JsonResponse({"detail": self.IN_ADDRESS}, status=400)
            return HttpResponseBadRequest(self.IN_ADDRESS)
        if not is_api and _nul_in_form(request):
            return HttpResponseBadRequest(self.IN_FORM)
        return self.get_response(request)


def _nul_in_address(request: HttpRequest) -> bool:
    return (
        "\x00" in request.path
        or "\x00" in request.META.get("QUERY_STRING", "")
        or any("\x00" in value for _, values in request.GET.lists() for value in values)
    )


def _nul_in_form(request: HttpRequest) -> bool:
    """Field names and values only: uploaded files are bytes and may hold anything."""
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.POST.lists()
    )


class PageMessagesMiddleware(MessageMiddleware):
    """Django's messages ("Saved", shown on the next page) for pages, not for the API.

    The API answers in JSON and never adds or shows a message; setting the message store
    up and saving it back cost ~60 µs of every API write. A message a page left waits for
    the next page, as before (an API call in between no longer takes part at all).
    """

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        return super().__call__(request)
