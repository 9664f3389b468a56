"""The appointment inbox: requests by status, and changing a request's status.

Adapters: permission (`clinician_required`) → form → service or selector → template."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from clinic import services
from clinic.models import AppointmentStatus, Membership
from clinic.permissions import clinician_required
from clinic.selectors.appointments import appointment_counts, appointment_list
from footing.http import HtmxHttpRequest, page_errors, partial_template
from pwa.forms.clinic import StatusForm


# ---- appointment requests --------------------------------------------------------------
@require_GET
@clinician_required
@vary_on_headers("HX-Request")
def appointments(request: HtmxHttpRequest, membership: Membership) -> HttpResponse:
    status = request.GET.get("status") or AppointmentStatus.NEW
    if status not in AppointmentStatus.values and status != "all":
        status = AppointmentStatus.NEW
    counts = appointment_counts(membership=membership)
    context = {
        "membership": membership,
        "status": status,
        "statuses": AppointmentStatus.choices,
        "tabs": [(value, label, counts[value]) for value, label in AppointmentStatus.choices],
        "appointments": counts,  # the tab bar's count of new requests
        "requests": appointment_list(
            membership=membership, status=None if status == "all" else status
        ),
    }
    return render(request, partial_template(request, "clinic/appointments.html", "inbox"), context)


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
@page_errors
def appointment_status(
    request: HtmxHttpRequest, membership: Membership, request_id: int
) -> HttpResponse:
    form = StatusForm(request.POST)
    if not form.is_valid():
        raise Http404("No such status.")
    found = services.appointment_status_set(
        membership=membership, request_id=request_id, status=form.cleaned_data["status"]
    )
    if request.htmx:
        context = {"item": found, "statuses": AppointmentStatus.choices}
        return render(request, "clinic/appointments.html#request", context)
    return redirect("clinic:appointments")
