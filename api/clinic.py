"""Clinic routes. Staff routes (/clinic/...) need a clinician's session (CSRF on): 401
when not logged in, 403 for patients and runners (clinic/permissions.py decides). The
push routes are a patient's own (any logged-in person may subscribe their browser)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from accounts.selectors import local_today
from api.schemas import ErrorOut, InSchema
from clinic import services
from clinic.models import Membership
from clinic.permissions import clinician_auth
from clinic.selectors.patient_list import dashboard
from clinic.types import DraftItem
from footing.http import logged_in_user

router = Router(tags=["clinic"], auth=clinician_auth)
push_router = Router(tags=["push"], auth=django_auth)

STAFF_ERRORS = {401: ErrorOut, 403: ErrorOut}
Amount = Annotated[int, Field(strict=True, ge=1, le=600)]


class FlagOut(Schema):
    day: date
    label: str


class PatientRowOut(Schema):
    id: int = Field(alias="user_id")
    name: str
    last_checkin: date | None
    last_pain: int | None
    red_flags: list[FlagOut] = Field(alias="flags")
    sessions_this_week: int = Field(alias="sessions_week")
    prescribed_per_week: int = Field(alias="prescribed_week")


@router.get("/clinic/patients", response={200: list[PatientRowOut], **STAFF_ERRORS})
def patient_list(request: HttpRequest) -> Any:
    """The dashboard: red flags of the last 7 days first, then by last check-in."""
    membership = _membership(request)
    now = timezone.now()
    return dashboard(
        membership=membership, today=local_today(user=membership.user, now=now), now=now
    )


def _membership(request: HttpRequest) -> Membership:
    auth = getattr(request, "auth", None)
    assert isinstance(auth, Membership)  # set by clinician_auth
    return auth


class DraftItemIn(InSchema):
    exercise: Annotated[str, Field(min_length=1, max_length=50)]
    sets: Annotated[int, Field(strict=True, ge=1, le=20)]
    reps: Amount | None = None
    hold_seconds: Amount | None = None
    minutes: Amount | None = None
    rest_seconds: Annotated[int, Field(strict=True, ge=0, le=600)] = 0
    note: Annotated[str, Field(max_length=300)] = ""


class PublishIn(InSchema):
    changelog: Annotated[str, Field(max_length=300)]
    # The items as they should be, in order; leave out to publish the saved draft.
    items: Annotated[list[DraftItemIn], Field(min_length=1, max_length=60)] | None = None
    # The version the editor started from; a publish by someone else meanwhile → 409.
    expected_version: Annotated[int, Field(strict=True, ge=0)] | None = None


class PublishedOut(Schema):
    slug: str
    version: int
    changelog: str
    published_at: datetime
    url: str


@router.post(
    "/clinic/routines/{slug}/publish",
    response={201: PublishedOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, **STAFF_ERRORS},
)
def routine_publish(request: HttpRequest, slug: str, payload: PublishIn) -> Any:
    items = (
        [DraftItem(**item.model_dump()) for item in payload.items]
        if payload.items is not None
        else None
    )
    version = services.routine_publish_edited(
        slug=slug,
        changelog=payload.changelog,
        expected_version=payload.expected_version,
        items=items,
    )
    return Status(
        201,
        {
            "slug": slug,
            "version": version.number,
            "changelog": version.changelog,
            "published_at": version.published_at,
            "url": f"/api/v1/routines/{slug}/versions/{version.number}",
        },
    )


class PushKeysIn(InSchema):
    p256dh: Annotated[str, Field(min_length=1, max_length=200)]
    auth: Annotated[str, Field(min_length=1, max_length=100)]


class PushSubscriptionIn(InSchema):
    endpoint: Annotated[str, Field(min_length=8, max_length=1000)]
    keys: PushKeysIn


class PushEndpointIn(InSchema):
    endpoint: Annotated[str, Field(min_length=8, max_length=1000)]


class PushSubscribedOut(Schema):
    subscribed: bool


@push_router.post(
    "/push/subscriptions", response={201: PushSubscribedOut, 401: ErrorOut, 422: ErrorOut}
)
def push_subscribe(request: HttpRequest, payload: PushSubscriptionIn) -> Any:
    services.push_subscribe(
        user=logged_in_user(request),
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
    )
    return Status(201, {"subscribed": True})


@push_router.post("/push/unsubscribe", response={200: PushSubscribedOut, 401: ErrorOut})
def push_unsubscribe(request: HttpRequest, payload: PushEndpointIn) -> Any:
    services.push_unsubscribe(user=logged_in_user(request), endpoint=payload.endpoint)
    return {"subscribed": False}
