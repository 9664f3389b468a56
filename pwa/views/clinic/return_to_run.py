"""The clinician's say on a patient's return to running, on the patient page: cleared or
not, and the stage of the plan (the control is its own partial, included by one tag)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from clinic.models import Membership
from clinic.permissions import clinician_required
from clinic.selectors.patient_page import patient_get
from footing.errors import FootingError
from footing.http import HtmxHttpRequest, page_errors
from journal import selectors, services
from library.return_plan import return_plan

CONTROL = "clinic/_return_to_run.html"


def clinician_control(*, patient: User, error: str = "") -> dict[str, Any]:
    """The context of the clinician's control on the patient page (see its tag)."""
    return {
        "patient": patient,
        "plan": return_plan(),
        "row": selectors.return_to_run_get(user=patient),
        "error": error,
    }


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
@page_errors
def clinician_set(
    request: HtmxHttpRequest, membership: Membership, patient_id: int
) -> HttpResponse:
    patient = patient_get(membership=membership, patient_id=patient_id).user
    error = ""
    try:
        services.return_to_run_set(
            patient=patient,
            cleared=request.POST.get("cleared") == "on",
            stage=request.POST.get("stage", ""),
            by=membership.user,
        )
    except FootingError as error_:
        error = error_.message
    if request.htmx or error:
        # Without htmx only a stale or tampered form fails (the stage is a list to pick
        # from): answer with the control and its error rather than lose it in a redirect.
        context = clinician_control(patient=patient, error=error) | {"saved": not error}
        return render(request, CONTROL, context, status=422 if error else 200)
    return redirect("clinic:patient", patient_id=patient_id)
