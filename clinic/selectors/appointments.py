"""Appointment requests: the clinic's inbox and its counts, and where a person may book."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet

from clinic.models import AppointmentRequest, AppointmentStatus, Clinic, Membership


def appointment_list(
    *, membership: Membership, status: str | None = None
) -> QuerySet[AppointmentRequest]:
    requests = AppointmentRequest.objects.filter(clinic=membership.clinic).select_related("user")
    if status:
        requests = requests.filter(status=status)
    return requests


def appointment_counts(*, membership: Membership) -> dict[str, int]:
    counts = dict(
        AppointmentRequest.objects.filter(clinic=membership.clinic)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in AppointmentStatus.values}


def clinics_for_booking(*, user: User) -> list[Clinic]:
    """A patient books with their own clinic; a runner may choose any."""
    own = Membership.objects.filter(user_id=user.pk).select_related("clinic").first()
    return [own.clinic] if own is not None else list(Clinic.objects.all())
