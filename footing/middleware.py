"""Response headers Django has no setting for."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
