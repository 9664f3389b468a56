"""Appointment requests: the clinic's inbox and its counts, where a person may book, and
the person's own requests with the clinic's replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, User
from django.db.models import Count, QuerySet

from accounts.selectors import person_columns
from clinic.models import AppointmentRequest, AppointmentStatus, Clinic, Membership
from footing.errors import NotFound

REQUESTS_SHOWN = 10
REQUESTS_SHOWN_DAYS = 180
REPLY_SHOWN_DAYS = 14


def appointment_list(
    *, membership: Membership, status: str | None = None
) -> QuerySet[AppointmentRequest]:
    """The clinic's requests, newest first, with the asker's name (`person_name`) and
    the name of whoever replied (`replier_name`)."""
    person = person_columns(user="user__")
    requests = AppointmentRequest.objects.filter(clinic=membership.clinic).annotate(
        person_name=person.name,
        person_email=person.email,
        replier_name=person_columns(user="replied_by__").name,
    )
    if status:
        requests = requests.filter(status=status)
    return requests


def appointment_get(*, membership: Membership, request_id: int) -> AppointmentRequest:
    """One of the clinic's requests, as `appointment_list` gives them."""
    found = appointment_list(membership=membership).filter(pk=request_id).first()
    if found is None:
        raise NotFound("No such appointment request.")
    return found


@dataclass(frozen=True)
class MyRequest:
    """A request as the person who made it sees it: where it stands, and the reply."""

    clinic: str
    asked_at: datetime
    reason: str
    status: str
    status_label: str
    reply: str
    replied_at: datetime | None


def requests_of(*, user: User | AbstractBaseUser, now: datetime) -> list[MyRequest]:
    """The person's own requests of the last REQUESTS_SHOWN_DAYS, newest first. Only ever
    their own: the user is the filter."""
    rows = (
        AppointmentRequest.objects.filter(
            user_id=user.pk, created_at__gte=now - timedelta(days=REQUESTS_SHOWN_DAYS)
        )
        .order_by("-created_at")
        .values_list("clinic__name", "created_at", "reason", "status", "reply", "replied_at")
    )[:REQUESTS_SHOWN]
    labels = dict(AppointmentStatus.choices)
    return [
        MyRequest(clinic, asked, reason, status, labels[status], reply, replied)
        for clinic, asked, reason, status, reply, replied in rows
    ]


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


def replies_of(*, user: User | AbstractBaseUser, now: datetime) -> list[MyRequest]:
    """The clinic's replies of the last REPLY_SHOWN_DAYS to the person's open requests,
    newest request first: what their home shows until the request is closed."""
    recent = now - timedelta(days=REPLY_SHOWN_DAYS)
    return [
        request
        for request in requests_of(user=user, now=now)
        if request.reply
        and request.replied_at is not None
        and request.replied_at >= recent
        and request.status != AppointmentStatus.CLOSED
    ][:2]
