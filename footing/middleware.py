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
        is_api = request.path.startswith("/api/")
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
