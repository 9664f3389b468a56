"""What the clinic side holds about one person, as plain data, for their own data export:
their membership, the invitation they joined with, what was prescribed to them (with the
clinician's note and doses) and their appointment requests. (Push subscriptions are
notifications' own: notifications.selectors.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch

from clinic.models import (
    AppointmentRequest,
    DoseOverride,
    Invitation,
    Membership,
    Prescription,
)


def memberships_of(*, user: User) -> list[dict[str, Any]]:
    return [
        {"clinic": m.clinic.name, "role": m.role, "since": m.created_at.isoformat()}
        for m in Membership.objects.filter(user=user).select_related("clinic")
    ]


def invitation_used_by(*, user: User) -> dict[str, Any] | None:
    invitation = Invitation.objects.filter(used_by=user).select_related("clinic").first()
    if invitation is None:
        return None
    used_at = invitation.used_at.isoformat() if invitation.used_at else None
    return {"clinic": invitation.clinic.name, "code": invitation.code, "used_at": used_at}


def prescriptions_of(*, user: User) -> Iterator[dict[str, Any]]:
    prescriptions = (
        Prescription.objects.filter(patient=user)
        .select_related("clinic", "routine")
        .prefetch_related(
            Prefetch("overrides", queryset=DoseOverride.objects.select_related("exercise"))
        )
    )
    for prescription in prescriptions:
        yield {
            "clinic": prescription.clinic.name,
            "routine": prescription.routine.slug,
            "days_per_week": prescription.days_per_week,
            "note": prescription.note,
            "active": prescription.active,
            "created_at": prescription.created_at.isoformat(),
            "updated_at": prescription.updated_at.isoformat(),
            "doses": [
                {
                    "exercise": override.exercise.slug,
                    "sets": override.sets,
                    "reps": override.reps,
                    "hold_seconds": override.hold_seconds,
                }
                for override in prescription.overrides.all()
            ],
        }


def appointment_requests_of(*, user: User) -> Iterator[dict[str, Any]]:
    for request in AppointmentRequest.objects.filter(user=user).select_related("clinic"):
        yield {
            "clinic": request.clinic.name,
            "reason": request.reason,
            "preferred_times": request.preferred_times,
            "contact": request.contact,
            "status": request.status,
            "reply": request.reply,
            "replied_at": request.replied_at.isoformat() if request.replied_at else None,
            "created_at": request.created_at.isoformat(),
            "updated_at": request.updated_at.isoformat(),
        }
