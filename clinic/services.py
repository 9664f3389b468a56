"""Writes on the clinic side: staff, invitations, prescriptions, the clinic's own
routines (copies, drafts, publishing), what a patient has been told, appointment
requests and replies, and the clinician's side of a patient (red flags handled, "no
check-in" snoozed, notes).

Every function that acts for a clinician takes the clinician's `membership` and only
touches rows of that clinic: a wrong id from another clinic is "not found", never a leak.
Routine content itself is written by `library.drafts`; this module decides whose it is.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.selectors import local_today, profile_get
from accounts.services import account_create, display_name_default
from clinic.models import (
    AppointmentRequest,
    AppointmentStatus,
    CheckinSnooze,
    Clinic,
    ClinicRoutine,
    DoseOverride,
    Invitation,
    Membership,
    PatientNote,
    Prescription,
    RedFlagReview,
    Role,
)
from clinic.notices import routine_update_announce
from clinic.selectors.attention import flag_window_start, flags_waiting
from clinic.selectors.invitations import invitation_usable
from clinic.selectors.patient_page import patient_get
from clinic.selectors.routines import routine_for_editing, routine_for_staff
from clinic.types import DoseChange
from footing.errors import Conflict, Invalid, NotFound
from journal.selectors import flagged_mornings
from library import drafts
from library import selectors as library
from library.doses import Dose, limit_check
from library.types import DraftItem
from library.versions import SnapshotItem, canonical_hash, dose_of, snapshot_of

if TYPE_CHECKING:
    from library.models import Routine, RoutineVersion

INVITATION_DAYS = 14
# No 0/O, 1/I/L: a code read out over the phone or typed from a card must survive it.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
REPLY_MAX = 1000
NOTE_MAX = 2000
FLAG_NOTE_MAX = 500
SNOOZE_NOTE_MAX = 300
SNOOZE_MAX_DAYS = 60


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
        # The name the clinician typed on the invitation, until the patient sets their own.
        display_name_default(user=user, name=invitation.label)
        return Membership.objects.create(clinic=invitation.clinic, user=user, role=Role.PATIENT)


# ---- prescriptions ---------------------------------------------------------------------
@dataclass(frozen=True)
class PlannedItem:
    exercise: str
    name: str
    routine_dose: str
    # The patient's own dose in words, when the clinician changed it.
    dose: str | None


@dataclass(frozen=True)
class PrescriptionPlan:
    """A prescription checked and ready to save: what the form shows before Prescribe."""

    patient: Membership
    routine: Routine
    days_per_week: int
    note: str
    doses: list[DoseChange]
    exercise_ids: dict[str, int]
    items: list[PlannedItem]

    @property
    def own(self) -> bool:
        return self.routine.kind == "clinic"

    @property
    def version(self) -> int:
        return self.routine.current_version.number if self.routine.current_version else 0

    @property
    def signature(self) -> str:
        """Names exactly what this plan prescribes: a form confirms the summary it showed
        (if anything changed since, the form shows the new summary instead of saving)."""
        doses = sorted((d.exercise, d.sets, d.reps, d.hold_seconds) for d in self.doses)
        return canonical_hash(
            [self.routine.slug, self.version, self.days_per_week, self.note, doses]
        )[:16]


def prescription_plan(
    *,
    membership: Membership,
    patient_id: int,
    routine: str,
    days_per_week: int,
    note: str = "",
    doses: list[DoseChange] | None = None,
) -> PrescriptionPlan:
    """Check a prescription without saving it. Refused without a routine chosen, for a
    routine the clinic cannot prescribe, and for a patient whose main problem is a
    doctor-first condition: that needs a sports medicine doctor, not exercises."""
    patient = patient_get(membership=membership, patient_id=patient_id)
    if not routine:
        raise Invalid("Choose the routine to prescribe.", field="routine")
    # Another clinic's routine is not found, exactly like one that does not exist.
    found = routine_for_staff(membership=membership, slug=routine)
    if found.current_version is None:
        raise Invalid(f"{found.title} is not published yet.", field="routine")
    _check_not_doctor_first(patient.user)
    if Prescription.objects.filter(patient=patient.user, routine=found, active=True).exists():
        raise Conflict(f"{found.title} is already prescribed to this patient.", field="routine")
    _check_days(days_per_week)
    wanted, exercise_ids = _doses_checked(found.current_version, doses or [])
    by_slug = {d.exercise: d for d in wanted}
    items = []
    for item in snapshot_of(found.current_version.snapshot)["items"]:
        change = by_slug.get(item["exercise"]["slug"])
        items.append(
            PlannedItem(
                exercise=item["exercise"]["slug"],
                name=item["exercise"]["name"],
                routine_dose=dose_of(item).text,
                dose=_overridden(item, change).text if change else None,
            )
        )
    return PrescriptionPlan(
        patient=patient,
        routine=found,
        days_per_week=days_per_week,
        note=note.strip()[:500],
        doses=wanted,
        exercise_ids=exercise_ids,
        items=items,
    )


def _overridden(item: SnapshotItem, change: DoseChange) -> Dose:
    """The item's dose with the patient's changes (the amount, never the kind)."""
    dose = dose_of(item)
    return replace(
        dose,
        sets=change.sets if change.sets is not None else dose.sets,
        reps=change.reps if change.reps is not None and dose.reps else dose.reps,
        hold_seconds=change.hold_seconds
        if change.hold_seconds is not None and dose.hold_seconds
        else dose.hold_seconds,
    )


def prescription_create(
    *,
    membership: Membership,
    patient_id: int,
    routine: str,
    days_per_week: int,
    note: str = "",
    doses: list[DoseChange] | None = None,
) -> Prescription:
    """Prescribe a published routine (the library's or the clinic's own) to one of the
    clinic's patients, with any per-exercise doses, all at once or not at all."""
    plan = prescription_plan(
        membership=membership,
        patient_id=patient_id,
        routine=routine,
        days_per_week=days_per_week,
        note=note,
        doses=doses,
    )
    try:
        with transaction.atomic():
            prescription = Prescription.objects.create(
                clinic=membership.clinic,
                patient=plan.patient.user,
                routine=plan.routine,
                days_per_week=plan.days_per_week,
                note=plan.note,
                created_by=membership.user,
                # A new prescription is not an update: nothing to tell them yet.
                seen_version=plan.version,
            )
            _overrides_write(prescription, plan.doses, plan.exercise_ids)
    except IntegrityError as error:
        raise Conflict(
            f"{plan.routine.title} is already prescribed to this patient.", field="routine"
        ) from error
    return prescription


def _check_not_doctor_first(user: User) -> None:
    main = profile_get(user=user).main_condition
    if not main:
        return
    try:
        condition = library.condition_get(slug=main)
    except NotFound:
        return
    if condition.doctor_first:
        raise Invalid(
            f"This patient's main problem is {condition.name.lower()}: it needs a sports "
            "medicine doctor first, so no routine can be prescribed for it.",
            field="routine",
        )


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


def _doses_checked(
    version: RoutineVersion | None, doses: list[DoseChange]
) -> tuple[list[DoseChange], dict[str, int]]:
    """The doses that say something, each checked against the one set of limits, naming
    exercises of the routine's current version; with those exercises' ids."""
    items = snapshot_of(version.snapshot)["items"] if version else []
    in_routine = {item["exercise"]["slug"]: item for item in items}
    wanted = [
        d for d in doses if d.sets is not None or d.reps is not None or d.hold_seconds is not None
    ]
    for dose in wanted:
        item = in_routine.get(dose.exercise)
        if item is None:
            raise Invalid(f"{dose.exercise!r} is not in this routine.", field="doses")
        field = f"doses.{dose.exercise}"
        if dose.reps is not None and dose.hold_seconds is not None:
            raise Invalid("Give reps or a hold, not both.", field=field)
        # The amount changes, never the kind of measure: reps stay reps.
        if (dose.reps is not None and item["reps"] is None) or (
            dose.hold_seconds is not None and item["hold_seconds"] is None
        ):
            raise Invalid("Change the amount the routine already uses.", field=field)
        limit_check("sets", dose.sets, field=f"{field}.sets")
        limit_check("reps", dose.reps, field=f"{field}.reps")
        limit_check("hold_seconds", dose.hold_seconds, field=f"{field}.hold_seconds")
    exercises = {
        e.slug: e.pk for e in library.exercises_by_slug(slugs=[d.exercise for d in wanted])
    }
    return wanted, exercises


def _overrides_write(
    prescription: Prescription, wanted: list[DoseChange], exercises: dict[str, int]
) -> None:
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
    wanted, exercises = _doses_checked(prescription.routine.current_version, doses)
    with transaction.atomic():
        prescription.days_per_week = days_per_week
        prescription.note = note.strip()[:500]
        prescription.save(update_fields=["days_per_week", "note", "updated_at"])
        _overrides_write(prescription, wanted, exercises)
    return prescription


def prescription_end(*, membership: Membership, prescription_id: int) -> Prescription:
    prescription = _prescription(membership, prescription_id)
    if prescription.active:
        prescription.active = False
        prescription.save(update_fields=["active", "updated_at"])
    return prescription


# ---- the clinic's own routines: copies, drafts, publishing -----------------------------
def routine_copy(*, membership: Membership, slug: str) -> Routine:
    """Copy a library routine into the clinic: its own routine from now on, at v1."""
    source = routine_for_staff(membership=membership, slug=slug)
    if source.kind != "library":
        raise Invalid("Only a library routine can be copied.", field="routine")
    with transaction.atomic():
        copy = drafts.routine_copy(
            source=source, slug=f"{membership.clinic.slug}-{source.slug}", by=membership.user
        )
        ClinicRoutine.objects.create(
            clinic=membership.clinic, routine=copy, created_by=membership.user
        )
    return copy


def routine_create(
    *,
    membership: Membership,
    title: str,
    summary: str,
    phase: str,
    frequency: str,
    conditions: list[str],
    items: list[DraftItem],
) -> Routine:
    """A new routine of the clinic's, built from the library's exercises (a draft)."""
    with transaction.atomic():
        routine = drafts.routine_create(
            slug=f"{membership.clinic.slug}-{title}",
            title=title,
            summary=summary,
            phase=phase,
            frequency=frequency,
            conditions=conditions,
            items=items,
            by=membership.user,
        )
        ClinicRoutine.objects.create(
            clinic=membership.clinic, routine=routine, created_by=membership.user
        )
    return routine


def routine_draft_save(
    *,
    membership: Membership,
    slug: str,
    items: list[DraftItem],
    expected_version: int,
    expected_revision: int,
) -> Routine:
    """Replace the draft of one of the clinic's routines. Patients see nothing yet."""
    routine = routine_for_editing(membership=membership, slug=slug)
    return drafts.routine_draft_save(
        routine=routine,
        items=items,
        expected_version=expected_version,
        expected_revision=expected_revision,
        by=membership.user,
    )


def routine_publish(
    *,
    membership: Membership,
    slug: str,
    changelog: str,
    expected_version: int,
    expected_revision: int,
    items: list[DraftItem] | None = None,
) -> RoutineVersion:
    """Publish the draft (after replacing it with `items`, if given) as version N+1.

    All or nothing: a refused publish leaves the draft as it was. Every patient with the
    routine prescribed sees "Your routine was updated" (see `selectors.updates`);
    subscribed ones are also told by push: the notice is queued in this same
    transaction, so it exists exactly when the version does.
    """
    routine = routine_for_editing(membership=membership, slug=slug)
    with transaction.atomic():
        version = drafts.routine_publish(
            routine=routine,
            changelog=changelog,
            expected_version=expected_version,
            expected_revision=expected_revision,
            items=items,
            by=membership.user,
        )
        routine_update_announce(version=version, now=timezone.now())
    return version


def routine_updates_seen(*, user: User, seen: list[tuple[str, int]]) -> int:
    """The patient has now seen "Your routine was updated" for these (slug, version)
    pairs. A version is only ever moved forward, never past what is published; returns
    how many prescriptions changed."""
    changed = 0
    for slug, number in seen:
        changed += Prescription.objects.filter(
            patient=user,
            active=True,
            routine__slug=slug,
            seen_version__lt=number,
            routine__current_version__number__gte=number,
        ).update(seen_version=number)
    return changed


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


def _appointment(membership: Membership, request_id: int) -> AppointmentRequest:
    found = (
        AppointmentRequest.objects.filter(pk=request_id, clinic=membership.clinic)
        .select_related("user")
        .first()
    )
    if found is None:
        raise NotFound("No such appointment request.")
    return found


def appointment_status_set(
    *, membership: Membership, request_id: int, status: str
) -> AppointmentRequest:
    if status not in AppointmentStatus.values:
        raise Invalid(f"{status!r} is not a status.", field="status")
    found = _appointment(membership, request_id)
    found.status = status
    found.save(update_fields=["status", "updated_at"])
    return found


def appointment_reply(
    *,
    membership: Membership,
    request_id: int,
    reply: str,
    now: datetime,
    status: str | None = None,
) -> AppointmentRequest:
    """The clinic answers a request with a short note the patient sees beside its status.
    A new request that gets a reply has been contacted, unless a status is given."""
    reply = reply.strip()
    if not reply:
        raise Invalid("Write a reply for the patient.", field="reply")
    if len(reply) > REPLY_MAX:
        raise Invalid(f"A reply is at most {REPLY_MAX} characters.", field="reply")
    if status is not None and status not in AppointmentStatus.values:
        raise Invalid(f"{status!r} is not a status.", field="status")
    found = _appointment(membership, request_id)
    found.reply = reply
    found.replied_at = now
    found.replied_by = membership.user
    if status is not None:
        found.status = status
    elif found.status == AppointmentStatus.NEW:
        found.status = AppointmentStatus.CONTACTED
    found.save(update_fields=["reply", "replied_at", "replied_by", "status", "updated_at"])
    return found


def patient_signup(
    *, username: str, password: str, time_zone: str, invitation: str, display_name: str = ""
) -> User:
    """Sign-up with an invitation code: the account and the clinic membership are made
    together or not at all (a code spent by someone else meanwhile undoes the account)."""
    with transaction.atomic():
        user = account_create(
            username=username, password=password, time_zone=time_zone, display_name=display_name
        )
        invitation_accept(code=invitation, user=user, now=timezone.now())
    return user


# ---- the clinic's phone (shown to its patients beside a red-flag triage) ---------------
# What a phone number may look like as typed by a receptionist: digits with spaces,
# dashes, dots, brackets and one leading +; 6 to 15 digits (E.164 allows 15).
PHONE = re.compile(r"^\+?[0-9 ().-]+$")
PHONE_DIGITS = (6, 15)


def clinic_phone_set(*, membership: Membership, phone: str) -> Clinic:
    """A clinician sets their clinic's phone number; blank removes it."""
    if membership.role != Role.CLINICIAN:
        raise Invalid("Only the clinic's clinicians can change its phone number.", field="phone")
    phone = " ".join(phone.split())
    digits = sum(ch.isdigit() for ch in phone)
    if phone and (not PHONE.match(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]):
        raise Invalid(
            "Write the phone number with digits (6 to 15), spaces, dashes or brackets, "
            "and + for the country code.",
            field="phone",
        )
    clinic = membership.clinic
    clinic.phone = phone
    clinic.save(update_fields=["phone"])
    return clinic


# ---- red flags, silence and notes: the clinician's side of a patient -------------------
def red_flags_handle(
    *, membership: Membership, patient_id: int, through: datetime, note: str, now: datetime
) -> RedFlagReview:
    """Mark the patient's waiting red flags handled, up to the newest one the clinician
    was shown (`through`, when the server received it): a flag that arrived while they
    read stays waiting. The review keeps which mornings and flags it closed."""
    note = note.strip()
    if len(note) > FLAG_NOTE_MAX:
        raise Invalid(f"A note is at most {FLAG_NOTE_MAX} characters.", field="note")
    if through > now:
        raise Invalid("That time is in the future.", field="through")
    with transaction.atomic():
        patient = _patient_locked(membership, patient_id)
        today = local_today(user=patient.user, now=now)
        mornings = flagged_mornings(
            user_ids=[patient.user_id], since=flag_window_start(today=today)
        )
        waiting = flags_waiting(mornings, handled=patient.flags_handled_through, today=today)
        closing = [flag for flag in waiting if flag.received_at <= through]
        if not closing:
            raise Conflict(
                "No red flags of this patient are waiting (someone may have just handled them).",
                field="through",
            )
        review = RedFlagReview.objects.create(
            clinic=membership.clinic,
            patient=patient.user,
            handled_by=membership.user,
            handled_at=now,
            through=max(m.received_at for m in closing),
            note=note,
            flags=[{"day": m.day.isoformat(), "flags": list(m.flags)} for m in closing],
        )
        patient.flags_handled_through = review.through
        patient.save(update_fields=["flags_handled_through"])
    return review


def checkins_snooze(
    *, membership: Membership, patient_id: int, days: int, note: str, now: datetime
) -> CheckinSnooze:
    """Quieten "no check-in" for the patient for `days` days from today (their calendar)."""
    if not 1 <= days <= SNOOZE_MAX_DAYS:
        raise Invalid(f"Snooze for 1 to {SNOOZE_MAX_DAYS} days.", field="days")
    note = note.strip()
    if len(note) > SNOOZE_NOTE_MAX:
        raise Invalid(f"A note is at most {SNOOZE_NOTE_MAX} characters.", field="note")
    with transaction.atomic():
        patient = _patient_locked(membership, patient_id)
        until = local_today(user=patient.user, now=now) + timedelta(days=days - 1)
        snooze = CheckinSnooze.objects.create(
            clinic=membership.clinic,
            patient=patient.user,
            snoozed_by=membership.user,
            created_at=now,
            until=until,
            note=note,
        )
        patient.quiet_until = until
        patient.save(update_fields=["quiet_until"])
    return snooze


def checkins_snooze_end(*, membership: Membership, patient_id: int, now: datetime) -> None:
    """End a snooze early: "no check-in" speaks again from today."""
    with transaction.atomic():
        patient = _patient_locked(membership, patient_id)
        yesterday = local_today(user=patient.user, now=now) - timedelta(days=1)
        CheckinSnooze.objects.filter(
            clinic=membership.clinic, patient=patient.user, until__gt=yesterday
        ).update(until=yesterday)
        patient.quiet_until = None
        patient.save(update_fields=["quiet_until"])


def patient_note_add(
    *, membership: Membership, patient_id: int, body: str, now: datetime
) -> PatientNote:
    """A clinician's note on a patient. Notes are a record: kept, never edited."""
    body = body.strip()
    if not body:
        raise Invalid("Write the note first.", field="body")
    if len(body) > NOTE_MAX:
        raise Invalid(f"A note is at most {NOTE_MAX} characters.", field="body")
    patient = patient_get(membership=membership, patient_id=patient_id)
    return PatientNote.objects.create(
        clinic=membership.clinic,
        patient=patient.user,
        author=membership.user,
        body=body,
        created_at=now,
    )


def _patient_locked(membership: Membership, patient_id: int) -> Membership:
    """The patient's membership of the clinician's clinic, locked for this transaction."""
    patient_get(membership=membership, patient_id=patient_id)
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(clinic=membership.clinic, user_id=patient_id)
    )
