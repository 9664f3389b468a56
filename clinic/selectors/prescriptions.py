"""Prescriptions: what a clinic prescribed to a patient, with per-patient doses, and what
the patient's own home and player make of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, QuerySet

from clinic.models import DoseOverride, Membership, Prescription
from clinic.selectors.patient_page import patient_get
from footing.errors import NotFound
from library.doses import LIMITS, Dose, Limit
from library.versions import dose_of, snapshot_of
from training.selectors import sessions_this_week_by_routine

if TYPE_CHECKING:
    from library.models import RoutineVersion


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

    @property
    def amount(self) -> int | None:
        return self.reps if self.measure == "reps" else self.hold_seconds

    @property
    def limit(self) -> Limit:
        return LIMITS[self.measure]


def prescription_doses(*, prescription: Prescription) -> list[DoseRow]:
    version = prescription.routine.current_version
    overrides = {o.exercise.slug: o for o in prescription.overrides.all()}
    rows = []
    for item in snapshot_of(version.snapshot)["items"] if version else []:
        slug = item["exercise"]["slug"]
        override = overrides.get(slug)
        dose = dose_of(item)
        rows.append(
            DoseRow(
                exercise=slug,
                name=item["exercise"]["name"],
                routine_dose=dose.text,
                measure=dose.measure,
                sets=override.sets if override else None,
                reps=override.reps if override else None,
                hold_seconds=override.hold_seconds if override else None,
            )
        )
    return rows


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
    sessions are done (their calendar week, as on the clinic's list). Four queries."""
    if not isinstance(user, User):
        return []
    prescriptions = list(_active_prescriptions(user))
    if not prescriptions:
        return []
    done = sessions_this_week_by_routine(
        user=user, now=now, routine_ids=[p.routine_id for p in prescriptions]
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
            item["dose"] = Dose.of(item).text
            item["prescribed"] = True
        items.append(item)
    return data | {"items": items, "note": prescription.note, "prescribed": True}


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
