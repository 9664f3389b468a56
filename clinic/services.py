"""Writes on the clinic side: staff, invitations, prescriptions, the routine editor and
publishing, appointment requests and push subscriptions.

Every function that acts for a clinician takes the clinician's `membership` and only
touches rows of that clinic: a wrong id from another clinic is "not found", never a leak.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import account_create
from clinic.models import (
    AppointmentRequest,
    AppointmentStatus,
    Clinic,
    DoseOverride,
    Invitation,
    Membership,
    Prescription,
    PushSubscription,
    Role,
)
from clinic.selectors.invitations import invitation_usable
from clinic.selectors.patient_page import patient_get
from clinic.selectors.routines import routine_for_editing
from clinic.types import DoseChange, DraftItem
from footing.errors import Conflict, Invalid, NotFound
from library.models import Exercise, Routine, RoutineItem, RoutineVersion
from library.services import routine_publish

INVITATION_DAYS = 14
# No 0/O, 1/I/L: a code read out over the phone or typed from a card must survive it.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
MAX_SETS = 20
MAX_REPS = 200
MAX_SECONDS = 600


# ---- staff -----------------------------------------------------------------------------
def staff_add(*, username: str, clinic_slug: str, clinic_name: str = "") -> Membership:
    """Make an existing user a clinician of a clinic (created on first use)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"No user called {username!r}.", field="username")
    with transaction.atomic():
        clinic, _ = Clinic.objects.get_or_create(
            slug=clinic_slug,
            defaults={"name": clinic_name or clinic_slug.replace("-", " ").title()},
        )
        existing = Membership.objects.filter(user=user).select_related("clinic").first()
        if existing is not None:
            if existing.clinic_id == clinic.pk and existing.role == Role.CLINICIAN:
                return existing
            raise Conflict(
                f"{username} is already a {existing.role} of {existing.clinic.slug}.",
                field="username",
            )
        return Membership.objects.create(clinic=clinic, user=user, role=Role.CLINICIAN)


# ---- invitations -----------------------------------------------------------------------
def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def invitation_create(
    *, membership: Membership, label: str = "", now: datetime, days: int = INVITATION_DAYS
) -> Invitation:
    if not 1 <= days <= 60:
        raise Invalid("An invitation lasts between 1 and 60 days.", field="days")
    return Invitation.objects.create(
        clinic=membership.clinic,
        code=_new_code(),
        label=label.strip()[:120],
        created_by=membership.user,
        expires_at=now + timedelta(days=days),
    )


def invitation_revoke(*, membership: Membership, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(pk=invitation_id, clinic=membership.clinic).first()
    if invitation is None:
        raise NotFound("No such invitation.")
    if invitation.used_at is None and not invitation.revoked:
        invitation.revoked = True
        invitation.save(update_fields=["revoked"])
    return invitation


def invitation_accept(*, code: str, user: User, now: datetime) -> Membership:
    """Spend the invitation: the user becomes a patient of its clinic. Single use, even
    when two sign-ups race for the same code (the row is locked)."""
    with transaction.atomic():
        invitation = invitation_usable(code=code, now=now, lock=True)
        if Membership.objects.filter(user=user).exists():
            raise Conflict("This account already belongs to a clinic.", field="invitation")
        invitation.used_by = user
        invitation.used_at = now
        invitation.save(update_fields=["used_by", "used_at"])
        return Membership.objects.create(clinic=invitation.clinic, user=user, role=Role.PATIENT)


# ---- prescriptions ---------------------------------------------------------------------
def prescription_create(
    *,
    membership: Membership,
    patient_id: int,
    routine: str,
    days_per_week: int,
    note: str = "",
) -> Prescription:
    patient = patient_get(membership=membership, patient_id=patient_id)
    found = Routine.objects.filter(
        slug=routine, archived=False, current_version__isnull=False
    ).first()
    if found is None:
        raise Invalid(f"No published routine called {routine!r}.", field="routine")
    _check_days(days_per_week)
    try:
        with transaction.atomic():
            return Prescription.objects.create(
                clinic=membership.clinic,
                patient=patient.user,
                routine=found,
                days_per_week=days_per_week,
                note=note.strip()[:500],
                created_by=membership.user,
            )
    except IntegrityError as error:
        raise Conflict(
            f"{found.title} is already prescribed to this patient.", field="routine"
        ) from error


def _check_days(days_per_week: int) -> None:
    if not 1 <= days_per_week <= 7:
        raise Invalid("Days per week is between 1 and 7.", field="days_per_week")


def _prescription(membership: Membership, prescription_id: int) -> Prescription:
    prescription = (
        Prescription.objects.filter(pk=prescription_id, clinic=membership.clinic)
        .select_related("routine__current_version", "patient")
        .first()
    )
    if prescription is None:
        raise NotFound("No such prescription.")
    return prescription


def prescription_update(
    *,
    membership: Membership,
    prescription_id: int,
    days_per_week: int,
    note: str,
    doses: list[DoseChange],
) -> Prescription:
    """Set days per week, the note and the per-exercise doses (an empty dose = the
    routine's own). Doses name exercises of the routine's current version."""
    prescription = _prescription(membership, prescription_id)
    _check_days(days_per_week)
    version = prescription.routine.current_version
    in_routine = (
        {item["exercise"]["slug"] for item in version.snapshot["items"]} if version else set()
    )
    wanted = [
        d for d in doses if d.sets is not None or d.reps is not None or d.hold_seconds is not None
    ]
    for dose in wanted:
        if dose.exercise not in in_routine:
            raise Invalid(f"{dose.exercise!r} is not in this routine.", field="doses")
        _check_dose(dose)
    exercises = dict(
        Exercise.objects.filter(slug__in=[d.exercise for d in wanted]).values_list("slug", "pk")
    )
    with transaction.atomic():
        prescription.days_per_week = days_per_week
        prescription.note = note.strip()[:500]
        prescription.save(update_fields=["days_per_week", "note", "updated_at"])
        prescription.overrides.all().delete()
        DoseOverride.objects.bulk_create(
            DoseOverride(
                prescription=prescription,
                exercise_id=exercises[d.exercise],
                sets=d.sets,
                reps=d.reps,
                hold_seconds=d.hold_seconds,
            )
            for d in wanted
        )
    return prescription


def _check_dose(dose: DoseChange) -> None:
    if dose.sets is not None and not 1 <= dose.sets <= MAX_SETS:
        raise Invalid(f"Sets are between 1 and {MAX_SETS}.", field="doses")
    if dose.reps is not None and not 1 <= dose.reps <= MAX_REPS:
        raise Invalid(f"Reps are between 1 and {MAX_REPS}.", field="doses")
    if dose.hold_seconds is not None and not 1 <= dose.hold_seconds <= MAX_SECONDS:
        raise Invalid(f"A hold is between 1 and {MAX_SECONDS} seconds.", field="doses")
    if dose.reps is not None and dose.hold_seconds is not None:
        raise Invalid("Give reps or a hold, not both.", field="doses")


def prescription_end(*, membership: Membership, prescription_id: int) -> Prescription:
    prescription = _prescription(membership, prescription_id)
    if prescription.active:
        prescription.active = False
        prescription.save(update_fields=["active", "updated_at"])
    return prescription


# ---- the routine editor and publishing -------------------------------------------------
def _check_item(item: DraftItem, number: int) -> None:
    field = f"items.{number}"
    measures = [m for m in (item.reps, item.hold_seconds, item.minutes) if m is not None]
    if len(measures) != 1:
        raise Invalid(
            f"Exercise {number + 1}: give exactly one of reps, hold seconds or minutes.",
            field=field,
        )
    if not 1 <= item.sets <= MAX_SETS:
        raise Invalid(f"Exercise {number + 1}: sets are between 1 and {MAX_SETS}.", field=field)
    if measures[0] < 1 or measures[0] > MAX_REPS * 3:
        raise Invalid(f"Exercise {number + 1}: the amount must be positive.", field=field)
    if not 0 <= item.rest_seconds <= MAX_SECONDS:
        raise Invalid(f"Exercise {number + 1}: rest is 0 to {MAX_SECONDS} s.", field=field)


def routine_draft_save(*, slug: str, items: list[DraftItem]) -> Routine:
    """Replace the routine's editable items (order = list order). Patients see nothing
    until it is published."""
    routine = routine_for_editing(slug=slug)
    if not items:
        raise Invalid("A routine needs at least one exercise.", field="items")
    slugs = [item.exercise for item in items]
    if len(set(slugs)) != len(slugs):
        raise Invalid("Each exercise can appear once in a routine.", field="items")
    for number, item in enumerate(items):
        _check_item(item, number)
    exercises = dict(
        Exercise.objects.filter(slug__in=slugs, archived=False).values_list("slug", "pk")
    )
    missing = [s for s in slugs if s not in exercises]
    if missing:
        raise Invalid(f"No exercise called {missing[0]!r}.", field="items")
    with transaction.atomic():
        RoutineItem.objects.filter(routine=routine).delete()
        RoutineItem.objects.bulk_create(
            RoutineItem(
                routine=routine,
                exercise_id=exercises[item.exercise],
                position=position,
                sets=item.sets,
                reps=item.reps,
                hold_seconds=item.hold_seconds,
                minutes=item.minutes,
                rest_seconds=item.rest_seconds,
                note=item.note.strip()[:300],
            )
            for position, item in enumerate(items, start=1)
        )
    return routine


def routine_publish_edited(
    *,
    slug: str,
    changelog: str,
    expected_version: int | None = None,
    items: list[DraftItem] | None = None,
) -> RoutineVersion:
    """Publish the draft (after replacing it with `items`, if given) as version N+1.

    All or nothing: a refused publish leaves the draft as it was. Subscribed patients
    who have the routine prescribed are told once the new version is committed.
    """
    # reach removes this: the clinic.services <-> clinic.tasks cycle (issue 20).
    from clinic.tasks import routine_updated_notify  # noqa: PLC0415

    if not changelog.strip():
        raise Invalid("Say what changed in this version.", field="changelog")
    with transaction.atomic():
        if items is not None:
            routine_draft_save(slug=slug, items=items)
        routine = routine_for_editing(slug=slug)
        version = routine_publish(
            routine=routine, changelog=changelog, expected_version=expected_version
        )
        transaction.on_commit(lambda: routine_updated_notify.enqueue(version_id=version.pk))
    return version


# ---- appointment requests --------------------------------------------------------------
def appointment_request_create(
    *, user: User, clinic: Clinic, reason: str, preferred_times: str, contact: str
) -> AppointmentRequest:
    reason, preferred_times, contact = reason.strip(), preferred_times.strip(), contact.strip()
    if not reason:
        raise Invalid("Say briefly what you would like help with.", field="reason")
    if not contact:
        raise Invalid("Leave a phone number or email so the clinic can reach you.", field="contact")
    return AppointmentRequest.objects.create(
        clinic=clinic,
        user=user,
        reason=reason[:1000],
        preferred_times=preferred_times[:300],
        contact=contact[:200],
    )


def appointment_status_set(
    *, membership: Membership, request_id: int, status: str
) -> AppointmentRequest:
    if status not in AppointmentStatus.values:
        raise Invalid(f"{status!r} is not a status.", field="status")
    found = AppointmentRequest.objects.filter(pk=request_id, clinic=membership.clinic).first()
    if found is None:
        raise NotFound("No such appointment request.")
    found.status = status
    found.save(update_fields=["status", "updated_at"])
    return found


# ---- push subscriptions ----------------------------------------------------------------
def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Remember this browser's endpoint. An endpoint moves to whoever subscribed last:
    a shared phone must not keep notifying the previous account."""
    if not endpoint.startswith("https://"):
        raise Invalid("A push endpoint is an https address.", field="endpoint")
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def push_unsubscribe(*, user: User, endpoint: str) -> None:
    PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()


def push_sent(*, subscription: PushSubscription) -> None:
    subscription.last_sent_at = timezone.now()
    subscription.save(update_fields=["last_sent_at"])


def push_gone(*, subscription: PushSubscription) -> None:
    """The push service said the endpoint is gone (404/410): stop sending to it."""
    PushSubscription.objects.filter(pk=subscription.pk).delete()


def patient_signup(*, username: str, password: str, time_zone: str, invitation: str) -> User:
    """Sign-up with an invitation code: the account and the clinic membership are made
    together or not at all (a code spent by someone else meanwhile undoes the account)."""
    with transaction.atomic():
        user = account_create(username=username, password=password, time_zone=time_zone)
        invitation_accept(code=invitation, user=user, now=timezone.now())
    return user
