"""Clinic routes. Staff routes (/clinic/...) need a clinician's session (CSRF on): 401
when not logged in, 403 for patients and runners (clinic/permissions.py decides). The
clinic's routines are in api/clinic_routines.py; push subscriptions in api/notifications.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from accounts.selectors import local_today
from api.schemas import ErrorOut
from clinic.models import Membership
from clinic.permissions import clinician_auth
from clinic.selectors.patient_list import dashboard

router = Router(tags=["clinic"], auth=clinician_auth)

STAFF_ERRORS = {401: ErrorOut, 403: ErrorOut}


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
