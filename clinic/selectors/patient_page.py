"""One patient of the clinic: the membership behind a patient id, what the patient page
shows beside the prescriptions (contact, red flags waiting and their history, silence,
notes, this week), and the rows of the clinic's record of them (CSV).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import Sum

from accounts.selectors import display_name, person_columns, profile_get, tel_link
from clinic.models import CheckinSnooze, Membership, PatientNote, Prescription, RedFlagReview, Role
from clinic.selectors.attention import (
    FLAG_WAIT_DAYS,
    FlagWaiting,
    Silence,
    flag_window_start,
    flags_waiting,
    seen_through,
    silence,
)
from footing.errors import NotFound
from journal.selectors import CheckInData, checkins_of, flagged_mornings, red_flag_labels
from training.selectors import local_day, session_list, sessions_this_week

CHECKINS_SHOWN = 30
HISTORY_SHOWN = 20


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


@dataclass(frozen=True)
class Handled:
    """One "Mark handled": who, when, what it closed and the note."""

    by: str
    at: datetime
    note: str
    mornings: list[tuple[date, list[str]]]


@dataclass(frozen=True)
class Snoozed:
    by: str
    at: datetime
    until: date
    note: str


@dataclass(frozen=True)
class Note:
    by: str
    at: datetime
    body: str


@dataclass(frozen=True)
class CheckinShown:
    """A check-in on the patient page, with its red flags and where they stand."""

    checkin: CheckInData
    flags: list[str]  # labels
    state: str  # "", "waiting", "handled" or "lapsed" (flagged, never marked handled)
    handled: Handled | None


@dataclass(frozen=True)
class PatientFile:
    patient: Membership
    name: str
    phone: str
    tel: str
    zone: ZoneInfo
    today: date
    waiting: list[FlagWaiting]
    seen_through: datetime | None  # what "Mark handled" closes
    handled: list[Handled]  # newest first
    silence: Silence
    snoozes: list[Snoozed]
    notes: list[Note]
    checkins: list[CheckinShown]
    sessions_week: int
    prescribed_week: int


def patient_file(*, membership: Membership, patient_id: int, now: datetime) -> PatientFile:
    """Everything the patient page shows about the patient, besides their prescriptions,
    pain chart and sessions (which have selectors of their own)."""
    patient = patient_get(membership=membership, patient_id=patient_id)
    user = patient.user
    profile = profile_get(user=user)
    zone = ZoneInfo(profile.time_zone)
    today = now.astimezone(zone).date()
    mornings = flagged_mornings(user_ids=[user.pk], since=flag_window_start(today=today))
    waiting = flags_waiting(mornings, handled=patient.flags_handled_through, today=today)
    reviews = _reviews(membership=membership, user=user)
    checkins = checkins_of(user=user, limit=CHECKINS_SHOWN)
    last = checkins[0].date if checkins else None
    week = sessions_this_week(user=user, now=now)
    prescribed = Prescription.objects.filter(
        clinic=membership.clinic, patient=user, active=True
    ).aggregate(days=Sum("days_per_week"))["days"]
    return PatientFile(
        patient=patient,
        name=display_name(user=user),
        phone=profile.phone,
        tel=tel_link(profile.phone),
        zone=zone,
        today=today,
        waiting=waiting,
        seen_through=seen_through(waiting),
        handled=[handled for handled, _ in reviews],
        silence=silence(
            last_checkin=last,
            joined=patient.created_at.astimezone(zone).date(),
            snoozed=patient.quiet_until,
            today=today,
        ),
        snoozes=_snoozes(membership=membership, user=user),
        notes=notes_of(membership=membership, user=user),
        checkins=[_shown(c, patient=patient, reviews=reviews, today=today) for c in checkins],
        sessions_week=week.sessions,
        prescribed_week=prescribed or 0,
    )


def _reviews(*, membership: Membership, user: User) -> list[tuple[Handled, datetime]]:
    rows = (
        RedFlagReview.objects.filter(clinic=membership.clinic, patient=user)
        .annotate(by_name=person_columns(user="handled_by__").name)
        .order_by("-handled_at")
        .values_list("by_name", "handled_at", "note", "flags", "through")[:HISTORY_SHOWN]
    )
    return [
        (
            Handled(
                by=by or "a former colleague",
                at=at,
                note=note,
                mornings=[
                    (date.fromisoformat(m["day"]), red_flag_labels(m["flags"])) for m in mornings
                ],
            ),
            through,
        )
        for by, at, note, mornings, through in rows
    ]


def _shown(
    checkin: CheckInData,
    *,
    patient: Membership,
    reviews: list[tuple[Handled, datetime]],
    today: date,
) -> CheckinShown:
    flags = checkin.flag_labels
    if not flags:
        return CheckinShown(checkin=checkin, flags=[], state="", handled=None)
    handled_through = patient.flags_handled_through
    if handled_through is None or checkin.received_at > handled_through:
        recent = (today - checkin.date).days <= FLAG_WAIT_DAYS
        return CheckinShown(
            checkin=checkin, flags=flags, state="waiting" if recent else "lapsed", handled=None
        )
    # The review that closed it: the earliest one whose cut-off reached this check-in.
    closing = [handled for handled, through in reviews if through >= checkin.received_at]
    return CheckinShown(
        checkin=checkin, flags=flags, state="handled", handled=closing[-1] if closing else None
    )


def _snoozes(*, membership: Membership, user: User) -> list[Snoozed]:
    rows = (
        CheckinSnooze.objects.filter(clinic=membership.clinic, patient=user)
        .annotate(by_name=person_columns(user="snoozed_by__").name)
        .order_by("-created_at")
        .values_list("by_name", "created_at", "until", "note")[:HISTORY_SHOWN]
    )
    return [Snoozed(by or "a former colleague", at, until, note) for by, at, until, note in rows]


def notes_of(*, membership: Membership, user: User) -> list[Note]:
    """The clinic's notes on the patient, newest first. Only the clinic's staff reach this."""
    rows = (
        PatientNote.objects.filter(clinic=membership.clinic, patient=user)
        .annotate(by_name=person_columns(user="author__").name)
        .order_by("-created_at")
        .values_list("by_name", "created_at", "body")
    )
    return [Note(by or "a former colleague", at, body) for by, at, body in rows]


def patient_notes(*, membership: Membership, patient_id: int) -> list[Note]:
    """The notes on one of the clinic's patients, newest first; NotFound for anyone else."""
    patient = patient_get(membership=membership, patient_id=patient_id)
    return notes_of(membership=membership, user=patient.user)


def export_rows(*, membership: Membership, patient_id: int) -> Iterator[dict[str, Any]]:
    """The clinic's record of a patient as flat rows, oldest first, for the CSV: one row
    per morning, one per exercise played, one per clinician's note and one per "red
    flags handled". Dates are the patient's own calendar days."""
    patient = patient_get(membership=membership, patient_id=patient_id)
    user = patient.user
    zone = ZoneInfo(profile_get(user=user).time_zone)
    for checkin in checkins_of(user=user, oldest_first=True):
        data = checkin.as_dict()
        yield {
            "record": "check-in",
            "date": data["date"],
            "first_step_pain": data["first_step_pain"],
            "stiffness_minutes": data["stiffness_minutes"],
            "activity": data["activity"],
            "pain_during": data["pain_during"],
            "pain_after": data["pain_after"],
            "red_flags": "; ".join(red_flag_labels(data["red_flags"])),
        }
    for log in session_list(user=user).order_by("started_at"):
        for exercise in log.exercises.all():
            yield {
                "record": "session",
                "date": local_day(moment=log.started_at, zone=zone).isoformat(),
                "started_at": log.started_at.astimezone(zone).isoformat(),
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
    for note in reversed(notes_of(membership=membership, user=user)):
        yield {
            "record": "note",
            "date": local_day(moment=note.at, zone=zone).isoformat(),
            "started_at": note.at.astimezone(zone).isoformat(),
            "note": note.body,
            "by": note.by,
        }
    for handled, _ in reversed(_reviews(membership=membership, user=user)):
        yield {
            "record": "red flags handled",
            "date": local_day(moment=handled.at, zone=zone).isoformat(),
            "started_at": handled.at.astimezone(zone).isoformat(),
            "red_flags": "; ".join(
                f"{day.isoformat()}: {', '.join(labels)}" for day, labels in handled.mornings
            ),
            "note": handled.note,
            "by": handled.by,
        }
