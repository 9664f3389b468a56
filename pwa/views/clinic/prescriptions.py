"""Prescribing a routine to a patient, changing its doses, ending it.

Each answers in place: an htmx request gets the "Prescribed" section alone
(`clinic/_prescriptions.html`, focus on the result line); without JavaScript the
whole patient page comes back, with the same section. Prescribing is two steps: the
first press shows what would be prescribed (routine, days a week, dose changes), the
second saves exactly that.

Adapters: permission (`clinician_required`) → form → service → template."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from clinic import services
from clinic.models import Membership
from clinic.permissions import clinician_required
from clinic.selectors.patient_page import patient_get
from clinic.selectors.prescriptions import prescription_patient
from clinic.selectors.routines import prescribable_routines
from footing.errors import FootingError
from footing.http import HtmxHttpRequest, page_errors
from pwa.forms.clinic import PrescriptionEditForm, PrescriptionForm, doses_from
from pwa.views.clinic.patients import patient_page_response
from pwa.views.clinic.prescribing import prescribing_context
from pwa.views.clinic.routines import error_text

SECTION = "clinic/_prescriptions.html"


def _answer(
    request: HtmxHttpRequest,
    membership: Membership,
    patient_id: int,
    *,
    status: int,
    **section: Any,
) -> HttpResponse:
    context = prescribing_context(membership=membership, patient_id=patient_id, **section)
    if request.htmx:
        patient = patient_get(membership=membership, patient_id=patient_id)
        context |= {"membership": membership, "patient": patient}
        return render(request, SECTION, context, status=status)
    return patient_page_response(
        request, membership, patient_id, prescribing=context, status=status
    )


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
@page_errors
def prescription_add(
    request: HtmxHttpRequest, membership: Membership, patient_id: int
) -> HttpResponse:
    data = request.POST
    form = PrescriptionForm(data, routines=prescribable_routines(membership=membership))
    try:
        doses = doses_from(data, data.getlist("exercise"))
    except ValidationError as error:
        return _answer(
            request, membership, patient_id, status=422, data=data, error=error_text(error)
        )
    if not form.is_valid():
        return _answer(
            request,
            membership,
            patient_id,
            status=422,
            data=data,
            doses=doses,
            error="Check the highlighted field.",
        )
    values = form.cleaned_data
    try:
        plan = services.prescription_plan(
            membership=membership, patient_id=patient_id, doses=doses, **values
        )
        confirmed = data.get("confirm") == "1"
        if not confirmed or data.get("reviewed") != plan.signature:
            # First press, or the form changed since the summary it confirms: show
            # (again) exactly what would be prescribed.
            return _answer(
                request,
                membership,
                patient_id,
                status=200,
                data=data,
                doses=doses,
                plan=plan,
                stale=confirmed,
            )
        prescription = services.prescription_create(
            membership=membership, patient_id=patient_id, doses=doses, **values
        )
    except FootingError as error:
        return _answer(
            request,
            membership,
            patient_id,
            status=error.status,
            data=data,
            doses=doses,
            error=error.message,
        )
    message = (
        f"Prescribed {prescription.routine.title}, {prescription.days_per_week} days a week. "
        "It is on the patient's home screen now."
    )
    if not request.htmx:
        return redirect(reverse("clinic:patient", args=[patient_id]) + "#prescriptions")
    return _answer(request, membership, patient_id, status=201, message=message)


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
@page_errors
def prescription_edit(
    request: HtmxHttpRequest, membership: Membership, prescription_id: int
) -> HttpResponse:
    form = PrescriptionEditForm(request.POST)
    patient_id = prescription_patient(membership=membership, prescription_id=prescription_id)
    try:
        if not form.is_valid():
            raise FootingError("Days per week is between 1 and 7.")
        prescription = services.prescription_update(
            membership=membership,
            prescription_id=prescription_id,
            doses=doses_from(request.POST, request.POST.getlist("exercise")),
            **form.cleaned_data,
        )
    except (FootingError, ValidationError) as error:
        return _answer(request, membership, patient_id, status=422, error=error_text(error))
    if not request.htmx:
        return redirect("clinic:patient", patient_id=patient_id)
    message = f"Saved {prescription.routine.title} for this patient."
    return _answer(request, membership, patient_id, status=200, message=message)


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
@page_errors
def prescription_end(
    request: HtmxHttpRequest, membership: Membership, prescription_id: int
) -> HttpResponse:
    prescription = services.prescription_end(membership=membership, prescription_id=prescription_id)
    if not request.htmx:
        return redirect("clinic:patient", patient_id=prescription.patient_id)
    message = f"Ended {prescription.routine.title}: it is no longer on the patient's home screen."
    return _answer(request, membership, prescription.patient_id, status=200, message=message)
