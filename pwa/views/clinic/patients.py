"""The clinic's list of patients and one patient's page and CSV record.

Adapters: permission (`clinician_required`) → form → service or selector → template."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.selectors import local_today
from clinic.models import Membership
from clinic.permissions import clinician_required
from clinic.selectors import patient_list
from clinic.selectors.appointments import appointment_counts
from clinic.selectors.patient_page import checkin_flags, export_rows, patient_get, patient_sessions
from footing.http import HtmxHttpRequest, page_errors, partial_template
from journal.chart import pain_chart
from journal.selectors import checkin_list, progress_get
from pwa.views.clinic.prescribing import prescribing_context

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


# ---- dashboard and patients ------------------------------------------------------------
@require_GET
@clinician_required
@vary_on_headers("HX-Request")
def dashboard(request: HtmxHttpRequest, membership: Membership) -> HttpResponse:
    now = timezone.now()
    rows = patient_list.dashboard(
        membership=membership, today=local_today(user=membership.user, now=now), now=now
    )
    context = {
        "membership": membership,
        "rows": rows,
        "flagged": sum(1 for row in rows if row.flags),
        "appointments": appointment_counts(membership=membership),
    }
    return render(request, partial_template(request, "clinic/dashboard.html", "patients"), context)


@require_GET
@clinician_required
@page_errors
def patient_detail(request: HttpRequest, membership: Membership, patient_id: int) -> HttpResponse:
    return patient_page(request, membership, patient_id)


def patient_page(
    request: HttpRequest,
    membership: Membership,
    patient_id: int,
    *,
    prescribing: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    patient = patient_get(membership=membership, patient_id=patient_id)
    progress = progress_get(user=patient.user, days=30, now=timezone.now())
    # The "Prescribed" section (its own partial, clinic/_prescriptions.html).
    section = prescribing or prescribing_context(membership=membership, patient_id=patient_id)
    context = {
        "membership": membership,
        "patient": patient,
        "progress": progress,
        "chart": pain_chart(progress.series, target=progress.target),
        "checkins": [(c, checkin_flags(c)) for c in checkin_list(user=patient.user)[:30]],
        "sessions": patient_sessions(user=patient.user),
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
