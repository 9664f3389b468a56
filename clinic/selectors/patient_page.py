"""One patient of the clinic: the membership behind a patient id, their sessions, and
the rows of their clinic record (CSV).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from clinic.models import Membership, Role
from footing.errors import NotFound
from journal.advice import RED_FLAGS
from journal.models import CheckIn
from training.models import SessionLog

FLAG_LABELS = {flag.field: flag.question for flag in RED_FLAGS}


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
