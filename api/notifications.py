"""Push routes: any logged-in person turns notifications on or off for one browser."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from api.schemas import ErrorOut, InSchema
from footing.http import logged_in_user
from notifications import services

router = Router(tags=["push"], auth=django_auth)


class PushKeysIn(InSchema):
    # 65 bytes and 16 bytes, base64url: 87 and 22 characters (checked exactly by the service).
    p256dh: Annotated[str, Field(min_length=1, max_length=100)]
    auth: Annotated[str, Field(min_length=1, max_length=40)]


class PushSubscriptionIn(InSchema):
    endpoint: Annotated[str, Field(min_length=8, max_length=1000)]
    keys: PushKeysIn


class PushEndpointIn(InSchema):
    endpoint: Annotated[str, Field(min_length=8, max_length=1000)]


class PushSubscribedOut(Schema):
    subscribed: bool


@router.post(
    "/push/subscriptions",
    response={201: PushSubscribedOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Turn notifications on for this browser",
    description=(
        "The browser's PushSubscription. The endpoint must be one of the push services "
        "this server sends to (PUSH_SERVICE_HOSTS), `keys.p256dh` a P-256 public key and "
        "`keys.auth` 16 bytes, base64url. 409 when the endpoint belongs to another account "
        "(subscribe afresh); a person's oldest browser is dropped past the cap."
    ),
)
def push_subscribe(request: HttpRequest, payload: PushSubscriptionIn) -> Any:
    services.push_subscribe(
        user=logged_in_user(request),
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
    )
    return Status(201, {"subscribed": True})


@router.post("/push/unsubscribe", response={200: PushSubscribedOut, 401: ErrorOut, 422: ErrorOut})
def push_unsubscribe(request: HttpRequest, payload: PushEndpointIn) -> Any:
    services.push_unsubscribe(user=logged_in_user(request), endpoint=payload.endpoint)
    return {"subscribed": False}
