"""A patient's own plan for a routine: the doses and note their clinician prescribed.

The player page is the same for everyone (footing/storable.py), so what is personal in a
session comes from here, read by the player when it opens online and kept on the phone
for its owner (IndexedDB, cleared at log-out) for the times it opens offline.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from api.schemas import ErrorOut
from clinic.permissions import routines_visible_to
from clinic.selectors.prescriptions import player_plan
from library.selectors import routine_version_get
from library.versions import dose_of

router = Router(tags=["plans"], auth=django_auth)


class PlanItemOut(Schema):
    exercise: str
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    dose: str
    prescribed: bool


class PlanOut(Schema):
    routine: str
    version: int
    prescribed: bool
    note: str
    items: list[PlanItemOut]


@router.get("/plans/{slug}", response={200: PlanOut, 404: ErrorOut}, url_name="plan")
def plan(request: HttpRequest, slug: str) -> Any:
    """The current version's doses for the person logged in: their clinician's where a
    routine is prescribed to them, the routine's own otherwise. Never cached anywhere."""
    assert isinstance(request.user, User)  # django_auth let only logged-in people in
    version = routine_version_get(slug=slug, also=routines_visible_to(user=request.user))
    mine = player_plan(
        user=request.user, version=version, data={"items": version.snapshot["items"]}
    )
    return {
        "routine": slug,
        "version": version.number,
        "prescribed": mine.get("prescribed", False),
        "note": mine.get("note", ""),
        "items": [
            {
                "exercise": item["exercise"]["slug"],
                "sets": item["sets"],
                "reps": item.get("reps"),
                "hold_seconds": item.get("hold_seconds"),
                "minutes": item.get("minutes"),
                "dose": item.get("dose") or dose_of(item).text,
                "prescribed": item.get("prescribed", False),
            }
            for item in mine["items"]
        ],
    }
