"""Prescribing a routine to a patient, changing its doses, ending it.

Adapters: permission (`clinician_required`) → form → service or selector → template."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from clinic import services
from clinic.models import Membership
from clinic.permissions import clinician_required
from clinic.selectors.prescriptions import prescription_patient, published_routines
from footing.errors import FootingError
from footing.http import page_errors
from pwa.forms.clinic import PrescriptionEditForm, PrescriptionForm, doses_from
from pwa.views.clinic.patients import patient_page


# ---- prescriptions ---------------------------------------------------------------------
@require_POST
@clinician_required
@page_errors
def prescription_add(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    routines = [(r.slug, r.title) for r in published_routines()]
    form = PrescriptionForm(request.POST, routines=routines)
    if not form.is_valid():
        return patient_page(request, membership, patient_id, form=form, error="Check the form.")
    try:
        services.prescription_create(
            membership=membership, patient_id=patient_id, **form.cleaned_data
        )
    except FootingError as error:
        return patient_page(request, membership, patient_id, form=form, error=error.message)
    return redirect("clinic:patient", patient_id=patient_id)


@require_POST
@clinician_required
@page_errors
def prescription_edit(
    request: HttpRequest, membership: Membership, prescription_id: int
) -> HttpResponse:
    form = PrescriptionEditForm(request.POST)
    patient_id = prescription_patient(membership=membership, prescription_id=prescription_id)
    try:
        if not form.is_valid():
            raise FootingError("Days per week is between 1 and 7.")
        services.prescription_update(
            membership=membership,
            prescription_id=prescription_id,
            doses=doses_from(request.POST, request.POST.getlist("exercise")),
            **form.cleaned_data,
        )
    except (FootingError, ValidationError) as error:
        message = error.message if isinstance(error, FootingError) else " ".join(error.messages)
        return patient_page(request, membership, patient_id, error=message)
    return redirect("clinic:patient", patient_id=patient_id)


@require_POST
@clinician_required
@page_errors
def prescription_end(
    request: HttpRequest, membership: Membership, prescription_id: int
) -> HttpResponse:
    prescription = services.prescription_end(membership=membership, prescription_id=prescription_id)
    return redirect("clinic:patient", patient_id=prescription.patient_id)
