"""What the clinic tells its patients' phones, composed here and delivered by
`notifications` (queued in the transaction that makes the news)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse

from clinic.models import AppointmentRequest
from clinic.selectors.recipients import routine_patients
from notifications.services import Announcement, Kind, notices_send

if TYPE_CHECKING:
    from library.models import RoutineVersion

UPDATED_TITLE = "Your routine was updated"
# A routine update is still news a day later (the app's own sync tells them after that).
UPDATED_TTL = timedelta(days=1)


def routine_update_announce(*, version: RoutineVersion, now: datetime) -> int:
    """Tell every patient who has the routine prescribed what changed; returns how many
    have notifications on (and so got a notice)."""
    routine = version.routine
    body = f"{version.snapshot['title']} v{version.number}: {version.changelog}"
    url = reverse("pwa:routine", args=[routine.slug])
    made = notices_send(
        announcements=(
            Announcement(
                user_id=patient_id,
                kind=Kind.ROUTINE_UPDATED,
                key=f"routine-{routine.pk}-v{version.number}",
                title=UPDATED_TITLE,
                body=body,
                url=url,
                ttl=UPDATED_TTL,
            )
            for patient_id in routine_patients(routine_id=routine.pk)
        ),
        now=now,
    )
    return len(made)


REPLY_TTL = timedelta(days=3)


def appointment_reply_announce(*, request: AppointmentRequest, now: datetime) -> bool:
    """Tell the person who asked that the clinic answered. The answer itself is not in
    the notification (a lock screen is not private): the tap opens it in the app."""
    made = notices_send(
        announcements=[
            Announcement(
                user_id=request.user_id,
                kind=Kind.CLINIC_REPLY,
                # One notice per reply: a second answer to the same request is news too.
                key=f"reply-{request.pk}-{int(now.timestamp())}",
                title=f"{request.clinic.name} replied",
                body="Your clinic answered your request. Tap to read it.",
                url=reverse("care:book"),
                ttl=REPLY_TTL,
            )
        ],
        now=now,
    )
    return bool(made)
