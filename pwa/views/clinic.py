"""The clinic's pages under /clinic/. Adapters: permission (one decorator) → form →
service or selector → template. Every view gets the clinician's membership from
`clinician_required`; nothing here decides who may see what."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.selectors import local_today
from clinic import selectors, services
from clinic.models import AppointmentStatus, Membership
from clinic.permissions import clinician_required
from clinic.types import DraftItem
from footing.errors import FootingError, NotFound
from footing.http import HtmxHttpRequest
from journal.chart import pain_chart
from journal.selectors import checkin_list, progress_get
from pwa.forms.clinic import (
    InvitationForm,
    PrescriptionEditForm,
    PrescriptionForm,
    PublishForm,
    StatusForm,
    doses_from,
    draft_from,
)

EXPORT_COLUMNS = [
    "record",
    "date",
    "first_step_pain",
    "stiffness_minutes",
    "activity",
    "pain_during",
    "pain_after",
    "red_flags",
    "started_at",
    "routine",
    "version",
    "exercise",
    "sets_planned",
    "sets_done",
    "reps_done",
    "seconds_done",
    "skipped",
    "skip_reason",
    "exercise_pain",
    "effort",
]


def _partial(request: HtmxHttpRequest, template: str, partial: str) -> str:
    """htmx swaps (not boosted navigations) get just the fragment they asked for."""
    return f"{template}#{partial}" if request.htmx and not request.htmx.boosted else template


def _not_found(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A clinic row that is not this clinic's (or not there) is a 404 page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapped


# ---- dashboard and patients ------------------------------------------------------------
@require_GET
@clinician_required
@vary_on_headers("HX-Request")
def dashboard(request: HtmxHttpRequest, membership: Membership) -> HttpResponse:
    now = timezone.now()
    rows = selectors.dashboard(
        membership=membership, today=local_today(user=membership.user, now=now), now=now
    )
    context = {
        "membership": membership,
        "rows": rows,
        "flagged": sum(1 for row in rows if row.flags),
        "appointments": selectors.appointment_counts(membership=membership),
    }
    return render(request, _partial(request, "clinic/dashboard.html", "patients"), context)


@require_GET
@clinician_required
@_not_found
def patient_detail(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    return _patient_page(request, membership, patient_id)


def _patient_page(
    request: HttpRequest,
    membership: Membership,
    patient_id: int,
    *,
    form: PrescriptionForm | None = None,
    error: str = "",
) -> HttpResponse:
    patient = selectors.patient_get(membership=membership, patient_id=patient_id)
    progress = progress_get(user=patient.user, days=30, now=timezone.now())
    prescriptions = selectors.prescription_list(membership=membership, patient_id=patient_id)
    routines = [(r.slug, r.title) for r in selectors.published_routines()]
    context = {
        "membership": membership,
        "patient": patient,
        "progress": progress,
        "chart": pain_chart(progress.series, target=progress.target),
        "checkins": [(c, selectors.checkin_flags(c)) for c in checkin_list(user=patient.user)[:30]],
        "sessions": selectors.patient_sessions(user=patient.user),
        "prescriptions": [(p, selectors.prescription_doses(prescription=p)) for p in prescriptions],
        "form": form or PrescriptionForm(routines=routines),
        "error": error,
    }
    return render(request, "clinic/patient.html", context, status=422 if error else 200)


@require_GET
@clinician_required
@_not_found
def patient_export(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    patient = selectors.patient_get(membership=membership, patient_id=patient_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.DictWriter(response, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for row in selectors.export_rows(membership=membership, patient_id=patient_id):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    name = "".join(ch if ch.isalnum() else "-" for ch in patient.user.get_username())
    day = timezone.now().date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="footing-{name}-{day}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _cell(value: object) -> object:
    """A spreadsheet must not run a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


# ---- prescriptions ---------------------------------------------------------------------
@require_POST
@clinician_required
@_not_found
def prescription_add(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    routines = [(r.slug, r.title) for r in selectors.published_routines()]
    form = PrescriptionForm(request.POST, routines=routines)
    if not form.is_valid():
        return _patient_page(request, membership, patient_id, form=form, error="Check the form.")
    try:
        services.prescription_create(
            membership=membership, patient_id=patient_id, **form.cleaned_data
        )
    except FootingError as error:
        return _patient_page(request, membership, patient_id, form=form, error=error.message)
    return redirect("clinic:patient", patient_id=patient_id)


@require_POST
@clinician_required
@_not_found
def prescription_edit(
    request: HttpRequest, membership: Membership, prescription_id: int
) -> HttpResponse:
    form = PrescriptionEditForm(request.POST)
    patient_id = selectors.prescription_patient(
        membership=membership, prescription_id=prescription_id
    )
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
        return _patient_page(request, membership, patient_id, error=message)
    return redirect("clinic:patient", patient_id=patient_id)


@require_POST
@clinician_required
@_not_found
def prescription_end(
    request: HttpRequest, membership: Membership, prescription_id: int
) -> HttpResponse:
    prescription = services.prescription_end(membership=membership, prescription_id=prescription_id)
    return redirect("clinic:patient", patient_id=prescription.patient_id)


# ---- routines: editor, publish, versions and diff --------------------------------------
@require_GET
@clinician_required
def routine_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    context = {"membership": membership, "routines": selectors.editable_routines()}
    return render(request, "clinic/routine_list.html", context)


def _editor_page(
    request: HtmxHttpRequest,
    membership: Membership,
    slug: str,
    *,
    error: str = "",
    publish_form: PublishForm | None = None,
    saved: bool = False,
) -> HttpResponse:
    editor = selectors.routine_editor(slug=slug)
    current = editor.current.number if editor.current else 0
    context = {
        "membership": membership,
        "editor": editor,
        "error": error,
        "saved": saved,
        "publish_form": publish_form or PublishForm(initial={"expected_version": current}),
        "measures": [("reps", "reps"), ("hold_seconds", "s hold"), ("minutes", "min")],
    }
    template = _partial(request, "clinic/routine_edit.html", "editor")
    return render(request, template, context, status=422 if error else 200)


@require_http_methods(["GET", "POST"])
@clinician_required
@vary_on_headers("HX-Request")
@_not_found
def routine_edit(request: HtmxHttpRequest, membership: Membership, slug: str) -> HttpResponse:
    """GET: the draft. POST: save the rows as the draft, after an optional row action
    (`op` = add, up-N, down-N or remove-N). Patients see nothing until it is published."""
    if request.method == "GET":
        return _editor_page(request, membership, slug)
    try:
        items = _apply(draft_from(request.POST), request.POST.get("op", ""), request.POST)
        services.routine_draft_save(slug=slug, items=items)
    except (FootingError, ValidationError) as error:
        message = error.message if isinstance(error, FootingError) else " ".join(error.messages)
        return _editor_page(request, membership, slug, error=message)
    return _editor_page(request, membership, slug, saved=True)


def _apply(items: list[DraftItem], op: str, data: Any) -> list[DraftItem]:
    action, _, index_text = op.partition("-")
    if action == "add":
        exercise = data.get("add-exercise", "")
        if exercise:
            defaults = selectors.exercise_default_item(slug=exercise)
            items = [*items, defaults]
        return items
    if not index_text.isdigit() or int(index_text) >= len(items):
        return items
    index = int(index_text)
    if action == "remove":
        return items[:index] + items[index + 1 :]
    other = index - 1 if action == "up" else index + 1 if action == "down" else -1
    if 0 <= other < len(items):
        items = list(items)
        items[index], items[other] = items[other], items[index]
    return items


@require_POST
@clinician_required
@_not_found
def routine_publish(request: HtmxHttpRequest, membership: Membership, slug: str) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _editor_page(
            request, membership, slug, publish_form=form, error="Say what changed in this version."
        )
    try:
        version = services.routine_publish_edited(slug=slug, **form.cleaned_data)
    except FootingError as error:
        return _editor_page(request, membership, slug, publish_form=form, error=error.message)
    diff = reverse("clinic:routine_diff", args=[slug, max(version.number - 1, 1), version.number])
    return redirect(f"{diff}?published=1")


@require_GET
@clinician_required
@_not_found
def routine_diff(
    request: HttpRequest, membership: Membership, slug: str, old: int, new: int
) -> HttpResponse:
    diff = selectors.version_diff(slug=slug, old=old, new=new)
    versions = selectors.routine_editor(slug=slug).versions
    context = {
        "membership": membership,
        "diff": diff,
        "versions": versions,
        "published": request.GET.get("published") == "1",
    }
    return render(request, "clinic/routine_diff.html", context)


# ---- invitations -----------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@clinician_required
def invitations(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        created = services.invitation_create(
            membership=membership,
            label=form.cleaned_data["label"],
            days=form.cleaned_data["days"],
            now=timezone.now(),
        )
        form = InvitationForm()
    context = {
        "membership": membership,
        "form": form,
        "created": created,
        "invitations": selectors.invitation_list(membership=membership),
        "now": timezone.now(),
    }
    return render(request, "clinic/invitations.html", context, status=201 if created else 200)


@require_POST
@clinician_required
@_not_found
def invitation_revoke(
    request: HttpRequest, membership: Membership, invitation_id: int
) -> HttpResponse:
    services.invitation_revoke(membership=membership, invitation_id=invitation_id)
    return redirect("clinic:invitations")


# ---- appointment requests --------------------------------------------------------------
@require_GET
@clinician_required
@vary_on_headers("HX-Request")
def appointments(request: HtmxHttpRequest, membership: Membership) -> HttpResponse:
    status = request.GET.get("status") or AppointmentStatus.NEW
    if status not in AppointmentStatus.values and status != "all":
        status = AppointmentStatus.NEW
    counts = selectors.appointment_counts(membership=membership)
    context = {
        "membership": membership,
        "status": status,
        "statuses": AppointmentStatus.choices,
        "tabs": [(value, label, counts[value]) for value, label in AppointmentStatus.choices],
        "appointments": counts,  # the tab bar's count of new requests
        "requests": selectors.appointment_list(
            membership=membership, status=None if status == "all" else status
        ),
    }
    return render(request, _partial(request, "clinic/appointments.html", "inbox"), context)


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
@_not_found
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
