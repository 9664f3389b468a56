"""What the patient page's "Prescribed" section shows: the patient's prescriptions and
the form that prescribes another, with what it would prescribe. One context, used by
the whole patient page and by the section alone (htmx answers in place)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.urls import reverse

from clinic.models import Membership
from clinic.selectors.prescriptions import prescription_doses, prescription_list
from clinic.selectors.routines import prescribable_routines, routine_for_staff
from clinic.services import PrescriptionPlan
from clinic.types import DoseChange
from footing.errors import NotFound
from library.doses import LIMITS, Limit
from library.versions import dose_of, snapshot_of
from pwa.forms.clinic import PrescriptionForm


@dataclass(frozen=True)
class DoseInput:
    """One exercise of the chosen routine in the prescribing form: its dose in the
    routine, and the values typed for this patient (empty = the routine's)."""

    exercise: str
    name: str
    routine_dose: str
    measure: str
    sets: int | None
    amount: int | None

    @property
    def limit(self) -> Limit:
        return LIMITS[self.measure]


def dose_inputs(*, membership: Membership, slug: str, doses: list[DoseChange]) -> list[DoseInput]:
    try:
        routine = routine_for_staff(membership=membership, slug=slug)
    except NotFound:
        return []
    if routine.current_version is None:
        return []
    typed = {d.exercise: d for d in doses}
    rows = []
    for item in snapshot_of(routine.current_version.snapshot)["items"]:
        dose, change = dose_of(item), typed.get(item["exercise"]["slug"])
        rows.append(
            DoseInput(
                exercise=item["exercise"]["slug"],
                name=item["exercise"]["name"],
                routine_dose=dose.text,
                measure=dose.measure,
                sets=change.sets if change else None,
                amount=(change.reps if dose.measure == "reps" else change.hold_seconds)
                if change
                else None,
            )
        )
    return rows


def prescribing_context(
    *,
    membership: Membership,
    patient_id: int,
    data: QueryDict | None = None,
    doses: list[DoseChange] | None = None,
    plan: PrescriptionPlan | None = None,
    stale: bool = False,
    message: str = "",
    error: str = "",
) -> dict[str, Any]:
    """`data` is what the clinician sent (kept in the form); without it, a fresh form."""
    form = PrescriptionForm(
        data,
        routines=prescribable_routines(membership=membership),
        refresh_url=reverse("clinic:prescription_add", args=[patient_id]),
    )
    chosen = data.get("routine", "") if data is not None else ""
    prescriptions = prescription_list(membership=membership, patient_id=patient_id)
    return {
        "prescriptions": [(p, prescription_doses(prescription=p)) for p in prescriptions],
        "form": form,
        "dose_inputs": dose_inputs(membership=membership, slug=chosen, doses=doses or [])
        if chosen
        else [],
        "plan": plan,
        "stale": stale,
        "message": message,
        "error": error,
        "limits": LIMITS,
    }
