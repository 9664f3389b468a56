"""Response headers Django has no setting for."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token

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
    saved offline); writes from the outbox read the cookie instead. Anonymous visitors
    get no cookie, so their pages stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            get_token(request)
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """Refuse a URL carrying a NUL byte (`%00`) before any view sees it.

    No page or API route has a use for one, and PostgreSQL refuses it in text, which
    would otherwise surface as a 500 from whichever query first met it. The API answers
    in its own error shape (`{"detail": ...}`, as its schema documents); pages in text.
    """

    MESSAGE = "The address contains a NUL byte."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or "\x00" in request.META.get("QUERY_STRING", "")
            or any("\x00" in value for values in request.GET.lists() for value in values[1])
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE}, status=400)
            return HttpResponseBadRequest(self.MESSAGE)
        return self.get_response(request)
