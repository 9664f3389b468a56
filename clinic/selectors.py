"""Reads on the clinic side. Everything a clinician reads is scoped by their membership's
clinic here, so pages and the API cannot forget to scope it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Max, Prefetch, QuerySet

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
from clinic.sparkline import Spark, sparkline
from clinic.types import DraftItem
from footing.errors import Invalid, NotFound
from journal.advice import RED_FLAGS
from journal.models import CheckIn
from library.models import Exercise, Routine, RoutineItem, RoutineVersion
from library.versions import dose_text, routine_snapshot, snapshot_changes
from training.models import SessionLog

SPARK_DAYS = 14
RED_FLAG_DAYS = 7
FLAG_LABELS = {flag.field: flag.question for flag in RED_FLAGS}


# ---- patients --------------------------------------------------------------------------
@dataclass(frozen=True)
class FlagSeen:
    day: date
    label: str


@dataclass(frozen=True)
class PatientRow:
    user_id: int
    name: str
    joined: datetime
    last_checkin: date | None
    last_pain: int | None
    flags: list[FlagSeen]
    spark: Spark
    sessions_week: int
    prescribed_week: int

    @property
    def behind(self) -> bool:
        return self.sessions_week < self.prescribed_week


def dashboard(*, membership: Membership, today: date, now: datetime) -> list[PatientRow]:
    """The clinic's patients: anyone with a red flag in the last 7 days first (newest flag
    first), then by last check-in (most recent first; never checked in last). Five queries
    whatever the number of patients."""
    patients = list(
        Membership.objects.filter(clinic=membership.clinic, role=Role.PATIENT)
        .select_related("user")
        .order_by("user__username")
    )
    ids = [p.user_id for p in patients]
    since = today - timedelta(days=SPARK_DAYS - 1)
    recent: dict[int, list[CheckIn]] = {}
    for checkin in CheckIn.objects.filter(user_id__in=ids, date__gte=since).order_by("date"):
        recent.setdefault(checkin.user_id, []).append(checkin)
    last = dict(
        CheckIn.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(last=Max("date"))
        .values_list("user_id", "last")
    )
    sessions = dict(
        SessionLog.objects.filter(user_id__in=ids, started_at__gte=now - timedelta(days=7))
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    prescribed: dict[int, int] = {}
    for user_id, days in Prescription.objects.filter(
        clinic=membership.clinic, active=True, patient_id__in=ids
    ).values_list("patient_id", "days_per_week"):
        prescribed[user_id] = prescribed.get(user_id, 0) + days

    rows = []
    flag_since = today - timedelta(days=RED_FLAG_DAYS - 1)
    for patient in patients:
        checkins = recent.get(patient.user_id, [])
        by_day = {c.date: c.first_step_pain for c in checkins}
        flags = [
            FlagSeen(c.date, FLAG_LABELS[name])
            for c in reversed(checkins)
            if c.date >= flag_since
            for name in FLAG_LABELS
            if getattr(c, name)
        ]
        rows.append(
            PatientRow(
                user_id=patient.user_id,
                name=patient.user.get_username(),
                joined=patient.created_at,
                last_checkin=last.get(patient.user_id),
                last_pain=checkins[-1].first_step_pain if checkins else None,
                flags=flags,
                spark=sparkline([by_day.get(since + timedelta(days=n)) for n in range(SPARK_DAYS)]),
                sessions_week=sessions.get(patient.user_id, 0),
                prescribed_week=prescribed.get(patient.user_id, 0),
            )
        )
    return sorted(rows, key=_urgency)


def _urgency(row: PatientRow) -> tuple[int, int, str]:
    newest_flag = row.flags[0].day.toordinal() if row.flags else 0
    last = row.last_checkin.toordinal() if row.last_checkin else 0
    return (0 if row.flags else 1, -(newest_flag or last), row.name)


def patient_get(*, membership: Membership, patient_id: int) -> Membership:
    """A patient of the clinician's own clinic; anyone else is "not found"."""
    patient = (
        Membership.objects.filter(clinic=membership.clinic, role=Role.PATIENT, user_id=patient_id)
        .select_related("user")
        .first()
    )
    if patient is None:
        raise NotFound("No such patient in your clinic.")
    return patient


def patient_sessions(*, user: User, limit: int = 30) -> QuerySet[SessionLog]:
    return (
        SessionLog.objects.filter(user=user)
        .select_related("routine_version__routine")
        .prefetch_related("exercises")
        .order_by("-started_at")[:limit]
    )


def checkin_flags(checkin: CheckIn) -> list[str]:
    return [label for name, label in FLAG_LABELS.items() if getattr(checkin, name)]


def export_rows(*, membership: Membership, patient_id: int) -> Iterator[dict[str, Any]]:
    """A patient's check-ins and session exercises as flat rows, oldest first, for the
    clinic record (CSV). One row per morning and one per exercise played."""
    patient = patient_get(membership=membership, patient_id=patient_id)
    for checkin in CheckIn.objects.filter(user=patient.user).order_by("date"):
        yield {
            "record": "check-in",
            "date": checkin.date.isoformat(),
            "first_step_pain": checkin.first_step_pain,
            "stiffness_minutes": checkin.stiffness_minutes,
            "activity": checkin.activity,
            "pain_during": checkin.pain_during,
            "pain_after": checkin.pain_after,
            "red_flags": "; ".join(checkin_flags(checkin)),
        }
    logs = (
        SessionLog.objects.filter(user=patient.user)
        .select_related("routine_version__routine")
        .prefetch_related("exercises")
        .order_by("started_at")
    )
    for log in logs:
        for exercise in log.exercises.all():
            yield {
                "record": "session",
                "date": log.started_at.date().isoformat(),
                "started_at": log.started_at.isoformat(),
                "routine": log.routine_version.routine.slug,
                "version": log.routine_version.number,
                "exercise": exercise.exercise_name,
                "sets_planned": exercise.sets_planned,
                "sets_done": exercise.sets_done,
                "reps_done": exercise.reps_done,
                "seconds_done": exercise.seconds_done,
                "skipped": "yes" if exercise.skipped else "",
                "skip_reason": exercise.get_skip_reason_display() if exercise.skip_reason else "",
                "exercise_pain": exercise.pain,
                "effort": exercise.effort,
            }


# ---- invitations -----------------------------------------------------------------------
def invitation_list(*, membership: Membership) -> QuerySet[Invitation]:
    return Invitation.objects.filter(clinic=membership.clinic).select_related("used_by")[:50]


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def invitation_usable(*, code: str, now: datetime, lock: bool = False) -> Invitation:
    """The invitation behind a code, or Invalid saying plainly why it cannot be used."""
    invitations = Invitation.objects.select_related("clinic")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(code=normalise_code(code)).first()
    if invitation is None:
        raise Invalid(
            "That invitation code is not right. Check it with your clinic.", field="invitation"
        )
    if invitation.used_at is not None:
        raise Invalid("That invitation has already been used.", field="invitation")
    if invitation.revoked:
        raise Invalid(
            "That invitation was withdrawn. Ask your clinic for a new one.", field="invitation"
        )
    if invitation.expires_at <= now:
        raise Invalid(
            "That invitation has expired. Ask your clinic for a new one.", field="invitation"
        )
    return invitation


# ---- prescriptions ---------------------------------------------------------------------
def prescription_list(*, membership: Membership, patient_id: int) -> list[Prescription]:
    patient = patient_get(membership=membership, patient_id=patient_id)
    return list(
        Prescription.objects.filter(clinic=membership.clinic, patient=patient.user)
        .select_related("routine__current_version")
        .prefetch_related(
            Prefetch("overrides", queryset=DoseOverride.objects.select_related("exercise"))
        )
    )


@dataclass(frozen=True)
class DoseRow:
    """One exercise of a prescribed routine: its dose in the routine and for this patient."""

    exercise: str
    name: str
    routine_dose: str
    measure: str  # "reps", "hold_seconds" or "minutes": what the override can change
    sets: int | None
    reps: int | None
    hold_seconds: int | None


def prescription_doses(*, prescription: Prescription) -> list[DoseRow]:
    version = prescription.routine.current_version
    overrides = {o.exercise.slug: o for o in prescription.overrides.all()}
    rows = []
    for item in version.snapshot["items"] if version else []:
        slug = item["exercise"]["slug"]
        override = overrides.get(slug)
        measure = (
            "minutes" if item["minutes"] else "hold_seconds" if item["hold_seconds"] else "reps"
        )
        rows.append(
            DoseRow(
                exercise=slug,
                name=item["exercise"]["name"],
                routine_dose=dose_text(item),
                measure=measure,
                sets=override.sets if override else None,
                reps=override.reps if override else None,
                hold_seconds=override.hold_seconds if override else None,
            )
        )
    return rows


def published_routines() -> QuerySet[Routine]:
    return Routine.objects.filter(archived=False, current_version__isnull=False).order_by("title")


def _active_prescriptions(user: User) -> QuerySet[Prescription]:
    return (
        Prescription.objects.filter(
            patient=user,
            active=True,
            routine__archived=False,
            routine__current_version__isnull=False,
        )
        .select_related("routine__current_version")
        .prefetch_related(
            Prefetch("overrides", queryset=DoseOverride.objects.select_related("exercise"))
        )
    )


@dataclass(frozen=True)
class TodayPlan:
    slug: str
    title: str
    days_per_week: int
    done_this_week: int
    note: str

    @property
    def done_for_the_week(self) -> bool:
        return self.done_this_week >= self.days_per_week


def patient_today(*, user: User | AnonymousUser, now: datetime) -> list[TodayPlan]:
    """What the patient's home says: each prescribed routine and how many of this week's
    sessions are done (the last 7 days, as on the clinic's dashboard). Three queries."""
    if not isinstance(user, User):
        return []
    prescriptions = list(_active_prescriptions(user))
    if not prescriptions:
        return []
    done = dict(
        SessionLog.objects.filter(
            user=user,
            started_at__gte=now - timedelta(days=7),
            routine_version__routine_id__in=[p.routine_id for p in prescriptions],
        )
        .values("routine_version__routine_id")
        .annotate(n=Count("id"))
        .values_list("routine_version__routine_id", "n")
    )
    plans = [
        TodayPlan(
            slug=p.routine.slug,
            title=p.routine.title,
            days_per_week=p.days_per_week,
            done_this_week=done.get(p.routine_id, 0),
            note=p.note,
        )
        for p in prescriptions
    ]
    # The routine with the most sessions still to do this week comes first.
    return sorted(plans, key=lambda p: (p.done_for_the_week, p.done_this_week - p.days_per_week))


def player_plan(
    *, user: User | AnonymousUser, version: RoutineVersion, data: dict[str, Any]
) -> dict[str, Any]:
    """The player's JSON for this person: a patient with this routine prescribed gets
    their own doses and the clinician's note; everyone else gets the routine as published.
    Overrides change the amount, never the kind of measure (reps stay reps)."""
    if not isinstance(user, User):
        return data
    prescription = _active_prescriptions(user).filter(routine_id=version.routine_id).first()
    if prescription is None:
        return data
    overrides = {o.exercise.slug: o for o in prescription.overrides.all()}
    items = []
    for item in data["items"]:
        override = overrides.get(item["exercise"]["slug"])
        if override is not None:
            item = dict(item)
            if override.sets is not None:
                item["sets"] = override.sets
            if override.reps is not None and item.get("reps"):
                item["reps"] = override.reps
            if override.hold_seconds is not None and item.get("hold_seconds"):
                item["hold_seconds"] = override.hold_seconds
            item["dose"] = dose_text(item)
            item["prescribed"] = True
        items.append(item)
    return data | {"items": items, "note": prescription.note, "prescribed": True}


# ---- routines: editor, versions, diff --------------------------------------------------
def routine_for_editing(*, slug: str) -> Routine:
    routine = (
        Routine.objects.filter(slug=slug, archived=False).select_related("current_version").first()
    )
    if routine is None:
        raise NotFound(f"No routine called {slug!r}.")
    return routine


def editable_routines() -> QuerySet[Routine]:
    return (
        Routine.objects.filter(archived=False).select_related("current_version").order_by("title")
    )


@dataclass(frozen=True)
class Editor:
    routine: Routine
    items: list[RoutineItem]
    exercises: list[Exercise]
    draft_changes: list[str]
    versions: list[RoutineVersion] = field(default_factory=list)

    @property
    def current(self) -> RoutineVersion | None:
        return self.routine.current_version


def routine_editor(*, slug: str) -> Editor:
    """The draft beside the published version, and what publishing now would change."""
    routine = routine_for_editing(slug=slug)
    items = list(
        RoutineItem.objects.filter(routine=routine).select_related("exercise").order_by("position")
    )
    draft = routine_snapshot(routine, items)
    current = routine.current_version
    changes = snapshot_changes(current.snapshot, draft) if current else ["First version"]
    return Editor(
        routine=routine,
        items=items,
        exercises=list(Exercise.objects.filter(archived=False).order_by("name")),
        draft_changes=changes,
        versions=list(RoutineVersion.objects.filter(routine=routine).order_by("-number")[:20]),
    )


@dataclass(frozen=True)
class VersionDiff:
    slug: str
    title: str
    old: RoutineVersion
    new: RoutineVersion
    changes: list[str]
    old_items: list[dict[str, Any]]
    new_items: list[dict[str, Any]]


def version_diff(*, slug: str, old: int, new: int) -> VersionDiff:
    found = {
        v.number: v
        for v in RoutineVersion.objects.filter(routine__slug=slug, number__in=[old, new])
    }
    for number in (old, new):
        if number not in found:
            raise NotFound(f"No version {number} of {slug!r}.")
    a, b = found[old], found[new]
    before = {i["exercise"]["slug"]: i for i in a.snapshot["items"]}
    return VersionDiff(
        slug=slug,
        title=b.snapshot["title"],
        old=a,
        new=b,
        changes=snapshot_changes(a.snapshot, b.snapshot),
        old_items=[i | {"dose": dose_text(i)} for i in a.snapshot["items"]],
        new_items=[
            i | {"dose": dose_text(i), "changed": _change(i, before)} for i in b.snapshot["items"]
        ],
    )


def _change(item: dict[str, Any], before: dict[str, dict[str, Any]]) -> str:
    """How an item of the newer version differs from the older one, in a word or two."""
    old = before.get(item["exercise"]["slug"])
    if old is None:
        return "new"
    if dose_text(old) != dose_text(item) or old["rest_seconds"] != item["rest_seconds"]:
        return "new dose"
    if old["note"] != item["note"] or old["exercise"] != item["exercise"]:
        return "updated"
    return ""


# ---- appointments and push -------------------------------------------------------------
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


def push_recipients(*, version: RoutineVersion) -> QuerySet[PushSubscription]:
    """Subscriptions of patients who have this routine prescribed (active)."""
    return PushSubscription.objects.filter(
        user__prescriptions__routine_id=version.routine_id,
        user__prescriptions__active=True,
        user__memberships__role=Role.PATIENT,
    ).distinct()


def prescription_patient(*, membership: Membership, prescription_id: int) -> int:
    """The patient (user id) of one of the clinic's prescriptions."""
    patient_id = (
        Prescription.objects.filter(pk=prescription_id, clinic=membership.clinic)
        .values_list("patient_id", flat=True)
        .first()
    )
    if patient_id is None:
        raise NotFound("No such prescription.")
    return patient_id


def exercise_default_item(*, slug: str) -> DraftItem:
    """A new editor row for an exercise, with the exercise's own default dose."""
    exercise = Exercise.objects.filter(slug=slug, archived=False).first()
    if exercise is None:
        raise Invalid(f"No exercise called {slug!r}.", field="add-exercise")
    return DraftItem(
        exercise=exercise.slug,
        sets=exercise.sets,
        reps=exercise.reps,
        hold_seconds=exercise.hold_seconds,
        minutes=exercise.minutes,
        rest_seconds=exercise.rest_seconds,
    )
