"""Who the clinic's notices and a patient's reminders are for: the patients who have a
routine prescribed, and each patient's prescribed routines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clinic.models import Prescription, Role


@dataclass(frozen=True)
class PrescribedRoutine:
    routine_id: int
    slug: str
    title: str
    days_per_week: int


def prescribed_routines(*, user_ids: Iterable[int]) -> dict[int, list[PrescribedRoutine]]:
    """Each patient's active, playable prescriptions (for reminders), one query."""
    found: dict[int, list[PrescribedRoutine]] = {}
    rows = (
        Prescription.objects.filter(
            patient_id__in=set(user_ids),
            active=True,
            routine__archived=False,
            routine__current_version__isnull=False,
        )
        .order_by("patient_id", "-days_per_week", "routine__title")
        .values_list("patient_id", "routine_id", "routine__slug", "routine__title", "days_per_week")
    )
    for patient_id, routine_id, slug, title, days in rows:
        found.setdefault(patient_id, []).append(PrescribedRoutine(routine_id, slug, title, days))
    return found


def routine_patients(*, routine_id: int) -> list[int]:
    """The patients (user ids) who have this routine prescribed, active."""
    return list(
        Prescription.objects.filter(
            routine_id=routine_id, active=True, patient__memberships__role=Role.PATIENT
        )
        .values_list("patient_id", flat=True)
        .distinct()
    )
