"""Response headers Django has no setting for."""

from __future__ import annotations

import json
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
    """Refuse a NUL character (`%00` in an address, `\\u0000` in a JSON body) before any
    view sees it.

    No page or API route has a use for one, and PostgreSQL refuses it in text, which
    would otherwise surface as a 500 from whichever query first met it. Page forms are
    covered by Django's own form fields; the API's JSON bodies are checked here. The API
    answers in its own error shape (`{"detail": ...}`; `api/openapi.py` documents the
    rule on every string the API takes); pages in text.
    """

    IN_ADDRESS = "The address contains a NUL byte."
    IN_BODY = "Text cannot contain a NUL character (\\u0000)."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith("/api/")
        if _nul_in_address(request):
            if is_api:
                return JsonResponse({"detail": self.IN_ADDRESS}, status=400)
            return HttpResponseBadRequest(self.IN_ADDRESS)
        if is_api and request.content_type == "application/json" and _nul_in_json(request.body):
            return JsonResponse({"detail": self.IN_BODY}, status=422)
        return self.get_response(request)


def _nul_in_address(request: HttpRequest) -> bool:
    return (
        "\x00" in request.path
        or "\x00" in request.META.get("QUERY_STRING", "")
        or any("\x00" in value for _, values in request.GET.lists() for value in values)
    )


def _nul_in_json(body: bytes) -> bool:
    # Valid JSON can only carry a NUL escaped, so most bodies are cleared without parsing;
    # a body that is not JSON at all is left for the API to refuse in its usual way.
    if b"\\u0000" not in body:
        return False
    try:
        return _holds_nul(json.loads(body))
    except ValueError:
        return False


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False
