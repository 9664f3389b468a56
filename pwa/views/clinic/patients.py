"""The clinic's list of patients, one patient's page and CSV record, and the clinician's
side of a patient: red flags marked handled, "no check-in" snoozed, notes.

Adapters: permission (`clinician_required`) → form → service or selector → template."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from clinic import services
from clinic.models import Membership
from clinic.permissions import clinician_required, notes_staff_required
from clinic.selectors.appointments import appointment_counts
from clinic.selectors.patient_list import (
    FILTER_LABELS,
    SORT_ASCENDING,
    SORT_LABELS,
    ListQuery,
    Sort,
    patient_page,
)
from clinic.selectors.patient_page import export_rows, patient_file, patient_get
from footing.errors import FootingError
from footing.http import HtmxHttpRequest, page_errors, partial_template
from journal.chart import pain_chart
from journal.selectors import progress_get
from pwa.forms.clinic import NoteForm, PatientListForm, RedFlagsHandledForm, SnoozeForm
from pwa.views.clinic.helpers import back_to
from pwa.views.clinic.patient_rows import rows_html
from pwa.views.clinic.prescribing import prescribing_context
from training.selectors import session_list

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
    "note",
    "by",
]
SESSIONS_SHOWN = 30
# The list's columns, each a sort (needs attention and the trend are in the sort menu).
TABLE_COLUMNS = (Sort.NAME, Sort.FLAGS, Sort.LAST, Sort.PAIN, Sort.SESSIONS, Sort.ROUTINE)


# ---- the list --------------------------------------------------------------------------
@require_GET
@clinician_required
@vary_on_headers("HX-Request")
def dashboard(request: HtmxHttpRequest, membership: Membership) -> HttpResponse:
    """Search, filters, sort and page all live in the query string, so a view of the list
    can be bookmarked, shared with a colleague and reloaded; htmx swaps only the list."""
    form = PatientListForm(request.GET)
    valid = form.is_valid()
    query = form.query() if valid else ListQuery()
    page = patient_page(membership=membership, query=query, now=timezone.now())
    here = request.get_full_path()
    # One token for every row's forms: fifty {% csrf_token %}s cost fifty maskings.
    csrf_input = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    context = {
        "membership": membership,
        "page": page,
        "form": form,
        "filters": [
            (
                label,
                value in query.filters,
                page.counts.get(value),
                _list_url(replace(query, filters=query.filters ^ {value}, page=1)),
            )
            for value, label in FILTER_LABELS.items()
        ],
        "columns": [
            (
                SORT_LABELS[sort],
                _list_url(
                    replace(query, descending=not query.descending, page=1)
                    if sort is query.sort
                    else replace(query, sort=sort, descending=False, page=1)
                ),
                _aria_sort(query, sort),
            )
            for sort in TABLE_COLUMNS
        ],
        "sort_labels": SORT_LABELS,
        "previous": _list_url(replace(query, page=page.page - 1)) if page.page > 1 else "",
        "next": _list_url(replace(query, page=page.page + 1)) if page.page < page.pages else "",
        "everyone": _list_url(ListQuery()),
        "appointments": appointment_counts(membership=membership),
        "here": here,
        "rows": rows_html(page.rows, csrf_input=csrf_input, here=here),
    }
    template = partial_template(request, "clinic/dashboard.html", "patients")
    return render(request, template, context, status=200 if valid else 400)


def _list_url(query: ListQuery) -> str:
    """The list's own address for a query: only what differs from the defaults."""
    params: list[tuple[str, str]] = []
    if query.search:
        params.append(("q", query.search))
    params += [("filter", value) for value in sorted(query.filters)]
    if query.sort is not Sort.ATTENTION:
        params.append(("sort", query.sort.value))
    if query.descending:
        params.append(("dir", "desc"))
    if query.page > 1:
        params.append(("page", str(query.page)))
    return (
        f"{reverse('clinic:dashboard')}?{urlencode(params)}"
        if params
        else reverse("clinic:dashboard")
    )


def _aria_sort(query: ListQuery, sort: Sort) -> str:
    if sort is not query.sort or sort is Sort.ATTENTION:
        return ""
    ascending = SORT_ASCENDING[sort] != query.descending
    return "ascending" if ascending else "descending"


# ---- one patient -----------------------------------------------------------------------
@require_GET
@clinician_required
@page_errors
def patient_detail(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    return patient_page_response(request, membership, patient_id)


def patient_page_response(
    request: HttpRequest,
    membership: Membership,
    patient_id: int,
    *,
    prescribing: dict[str, Any] | None = None,
    page_error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    file = patient_file(membership=membership, patient_id=patient_id, now=now)
    user = file.patient.user
    progress = progress_get(user=user, days=30, now=now)
    # The "Prescribed" section (its own partial, clinic/_prescriptions.html).
    section = prescribing or prescribing_context(membership=membership, patient_id=patient_id)
    context = {
        "membership": membership,
        "file": file,
        "patient": file.patient,
        "progress": progress,
        "chart": pain_chart(progress.series, target=progress.target),
        "sessions": session_list(user=user)[:SESSIONS_SHOWN],
        "handled_form": RedFlagsHandledForm(initial={"through": file.seen_through}),
        "snooze_form": SnoozeForm(),
        "note_form": NoteForm(),
        # What a red-flag, snooze or note form got wrong (the prescribing section has its own).
        "page_error": page_error,
        "appointments": appointment_counts(membership=membership),
        "here": request.get_full_path(),
        **section,
    }
    return render(request, "clinic/patient.html", context, status=status)


@require_GET
@clinician_required
@page_errors
def patient_export(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    patient = patient_get(membership=membership, patient_id=patient_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.DictWriter(response, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for row in export_rows(membership=membership, patient_id=patient_id):
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


# ---- the clinician's side: red flags, snooze, notes ------------------------------------
@require_POST
@clinician_required
@page_errors
def red_flags_handled(
    request: HttpRequest, membership: Membership, patient_id: int
) -> HttpResponse:
    form = RedFlagsHandledForm(request.POST)
    return _act(request, membership, patient_id, form, services.red_flags_handle)


@require_POST
@clinician_required
@page_errors
def snooze(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    return _act(request, membership, patient_id, SnoozeForm(request.POST), services.checkins_snooze)


@require_POST
@clinician_required
@page_errors
def snooze_end(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    services.checkins_snooze_end(membership=membership, patient_id=patient_id, now=timezone.now())
    return back_to(request, "clinic:patient", patient_id=patient_id)


@require_POST
@notes_staff_required  # notes are the clinic's: 404, not 403, to anyone else
@page_errors
def note_add(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    return _act(request, membership, patient_id, NoteForm(request.POST), services.patient_note_add)


ClinicianForm = NoteForm | SnoozeForm | RedFlagsHandledForm


def _act(
    request: HttpRequest,
    membership: Membership,
    patient_id: int,
    form: ClinicianForm,
    service: Callable[..., object],
) -> HttpResponse:
    """Form → the clinic's service for this patient → back where the clinician was; or
    the patient's page again saying what was wrong."""
    if not form.is_valid():
        return _refused(request, membership, patient_id, form)
    try:
        service(
            membership=membership, patient_id=patient_id, now=timezone.now(), **form.cleaned_data
        )
    except FootingError as error:
        return _refused(request, membership, patient_id, error=error)
    return back_to(request, "clinic:patient", patient_id=patient_id)


def _refused(
    request: HttpRequest,
    membership: Membership,
    patient_id: int,
    form: ClinicianForm | None = None,
    *,
    error: FootingError | None = None,
) -> HttpResponse:
    """The patient's page again, saying what was wrong (409 when someone else got there
    first, 422 for a bad field)."""
    if error is not None:
        message, status = error.message, 409 if error.status == 409 else 422
    else:
        assert form is not None
        message = " ".join(
            f"{form.fields[name].label or name}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        )
        status = 422
    return patient_page_response(request, membership, patient_id, page_error=message, status=status)
