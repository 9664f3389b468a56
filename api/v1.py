"""The JSON API, version 1: one NinjaAPI, one router per domain, one error mapping."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from api import library
from footing.errors import FootingError

api = NinjaAPI(
    title="Footing API",
    version="1",
    description="Conditions, exercises and routines for runners with foot pain.",
    urls_namespace="api",
)
api.add_router("/", library.router)


@api.exception_handler(FootingError)
def footing_error(request: HttpRequest, error: FootingError) -> HttpResponse:
    body: dict[str, str] = {"detail": error.message}
    if error.field:
        body["field"] = error.field
    return api.create_response(request, body, status=error.status)
