"""The appointment inbox: requests by status, changing a request's status, and replying.

Adapters: permission (`clinician_required`) → form → service or selector → template."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from clinic import services
from clinic.models import AppointmentStatus, Membership
from clinic.permissions import clinician_required
from clinic.selectors.appointments import appointment_counts, appointment_get, appointment_list
from footing.errors import FootingError
from footing.http import HtmxHttpRequest, page_errors, partial_template
from pwa.forms.clinic import ReplyForm, StatusForm
from pwa.views.clinic.helpers import back_to


# ---- appointment requests --------------------------------------------------------------
@require_GET
@clinician_required
@vary_on_headers("HX-Request")
def appointments(request: HtmxHttpRequest, membership: Membership) -> HttpResponse:
    status = request.GET.get("status") or AppointmentStatus.NEW
    if status not in AppointmentStatus.values and status != "all":
        status = AppointmentStatus.NEW
    context = _inbox_context(membership, status) | {"membership": membership}
    return render(request, partial_template(request, "clinic/appointments.html", "inbox"), context)


def _inbox_context(membership: Membership, status: str) -> dict[str, Any]:
    counts = appointment_counts(membership=membership)
    return {
        "membership": membership,
        "status": status,
        "statuses": AppointmentStatus.choices,
        "tabs": [(value, label, counts[value]) for value, label in AppointmentStatus.choices],
        "all_count": sum(counts.values()),
        "appointments": counts,  # the tab bar's count of new requests
        "requests": appointment_list(
            membership=membership, status=None if status == "all" else status
        ),
    }


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
@page_errors
def appointment_status(
    request: HtmxHttpRequest, membership: Membership, request_id: int
) -> HttpResponse:
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _inbox_error(request, membership, request_id, "Choose one of the statuses.")
    services.appointment_status_set(
        membership=membership, request_id=request_id, status=form.cleaned_data["status"]
    )
    return _changed(request, membership, request_id)


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
@page_errors
def appointment_reply(
    request: HtmxHttpRequest, membership: Membership, request_id: int
) -> HttpResponse:
    """The clinic's short note back to the patient, who sees it with the status."""
    form = ReplyForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _inbox_error(request, membership, request_id, message)
    try:
        services.appointment_reply(
            membership=membership,
            request_id=request_id,
            reply=form.cleaned_data["reply"],
            status=form.cleaned_data["status"] or None,
            now=timezone.now(),
        )
    except FootingError as error:
        return _inbox_error(request, membership, request_id, error.message)
    return _changed(request, membership, request_id)


def _changed(request: HtmxHttpRequest, membership: Membership, request_id: int) -> HttpResponse:
    """htmx gets the request again plus the status tabs and the tab bar's count, swapped
    out of band, so every count on the page moves at once; without JavaScript, the inbox."""
    if not request.htmx:
        return back_to(request, "clinic:appointments")
    context = _item_context(membership, request_id) | {"oob": True}
    return render(request, "clinic/appointments.html#changed", context)


def _inbox_error(
    request: HtmxHttpRequest, membership: Membership, request_id: int, message: str
) -> HttpResponse:
    context = _item_context(membership, request_id) | {"error": message}
    template = "clinic/appointments.html#request" if request.htmx else "clinic/appointments.html"
    if not request.htmx:
        context |= _inbox_context(membership, "all")
    return render(request, template, context, status=422)


def _item_context(membership: Membership, request_id: int) -> dict[str, Any]:
    counts = appointment_counts(membership=membership)
    return {
        "item": appointment_get(membership=membership, request_id=request_id),
        "statuses": AppointmentStatus.choices,
        "tabs": [(value, label, counts[value]) for value, label in AppointmentStatus.choices],
        "appointments": counts,
        "all_count": sum(counts.values()),
    }
