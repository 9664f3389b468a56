"""The JSON API, version 1: one NinjaAPI, one router per domain, one error mapping."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja.errors import ValidationError

from api import (
    clinic,
    clinic_routines,
    journal,
    library,
    notifications,
    offline,
    plans,
    selfcheck,
    training,
)
from api.openapi import FootingAPI
from footing.errors import FootingError

api = FootingAPI(
    title="Footing API",
    version="1",
    description="Conditions, exercises and routines for runners with foot pain.",
    urls_namespace="api",
)
api.add_router("/", library.router)
api.add_router("/", training.router)
api.add_router("/", offline.router)
api.add_router("/", journal.router)
api.add_router("/", selfcheck.router)
api.add_router("/", selfcheck.kept_router)
api.add_router("/", clinic.router)
api.add_router("/", clinic_routines.router)
api.add_router("/", clinic_routines.updates_router)
api.add_router("/", notifications.router)
api.add_router("/", plans.router)


@api.exception_handler(FootingError)
def footing_error(request: HttpRequest, error: FootingError) -> HttpResponse:
    body: dict[str, str] = {"detail": error.message}
    if error.field:
        body["field"] = error.field
    return api.create_response(request, body, status=error.status)


@api.exception_handler(ValidationError)
def invalid_payload(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Shape errors in the same form as the services' errors: a sentence and the field.

    The sentence is the rule's own words, for a person to read: the field travels beside
    it (the page names it once), and our validators' messages lose the "Value error, "
    pydantic puts before them.
    """
    errors = [
        {"field": _field(item["loc"]), "reason": _reason(item["msg"])} for item in error.errors
    ]
    first = errors[0] if errors else {"field": "", "reason": "Invalid request."}
    body = {
        "detail": first["reason"],
        "field": first["field"],
        "errors": errors,
    }
    return api.create_response(request, body, status=422)


def _reason(message: str) -> str:
    """Pydantic's message without the prefix it adds to a validator's ValueError."""
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _field(loc: tuple[str | int, ...] | list[str | int]) -> str:
    """("body", "payload", "exercises", 0, "pain") → "exercises.0.pain"."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    # The operation's own name for a schema parameter (`payload: SessionIn`,
    # `query: Query[SyncIn]`) means nothing to the client.
    if len(parts) > 1 and parts[0] in {"payload", "query"}:
        parts = parts[1:]
    return ".".join(str(part) for part in parts)
