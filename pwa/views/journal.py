"""The morning check-in, its result, and progress. Adapters: form → service → template."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.selectors import local_today, profile_get
from clinic.selectors.contacts import care_contacts
from footing.errors import FootingError
from footing.http import HtmxHttpRequest, logged_in_user, partial_template
from journal import selectors, services
from journal.advice import DOCTOR_NOTE, RED_FLAGS
from journal.chart import pain_chart
from journal.units import distance_in
from pwa.forms.journal import CheckInForm, initial_from
from selfcheck.selectors import selfcheck_result_last


@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    """The morning check-in. Its page is a shell, the same for everyone (footing/storable.py):
    it opens offline for whoever is logged in and holds nobody's answers; checkin.js fills
    in the person's day, units and any answers already given (from the API, or from the
    phone's outbox with no signal). Without JavaScript, `?plain` is the form filled in by
    the server, with its CSRF token: the person's own, never kept."""
    if request.method == "GET" and "plain" not in request.GET:
        context = {
            "form": CheckInForm(),
            "checkin_data": selectors.checkin_page_data(),
            "shell": True,
        }
        return render(request, "journal/checkin.html", context)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = _plain_checkin(request, logged_in_user(request))
    response["Cache-Control"] = "private, no-store"
    return response


def _plain_checkin(request: HttpRequest, user: User) -> HttpResponse:
    profile = profile_get(user=user)
    today = local_today(user=user, now=timezone.now())
    existing = selectors.checkin_on(user=user, day=today)
    initial = initial_from(existing, unit=profile.distance_unit) if existing else {"date": today}
    form = CheckInForm(request.POST or None, initial=initial, unit=profile.distance_unit)
    if request.method == "POST" and form.is_valid():
        client_id = form.cleaned_data["client_id"] or uuid.uuid4()
        try:
            saved, _ = services.checkin_record(
                user=user, client_id=client_id, answers=form.answers()
            )
            return redirect("pwa:checkin_result", day=saved.date.isoformat())
        except FootingError as error:
            # Errors on hidden fields (the date) are shown at the top of the form.
            visible = error.field in form.fields and not form[error.field].is_hidden
            form.add_error(error.field if visible else None, error.message)
    context = {
        "form": form,
        "existing": existing,
        "profile": profile,
        "checkin_data": selectors.checkin_page_data(),
        "today": today,
    }
    return render(request, "journal/checkin.html", context, status=422 if form.errors else 200)


# Health data: every answer here is `private, no-store` (footing/storable.py), so logging
# out leaves none of it readable offline. /checkin/ itself is a person-free shell.
@never_cache
@login_required
@require_GET
def checkin_result(request: HttpRequest, day: str) -> HttpResponse:
    try:
        wanted = date.fromisoformat(day)
    except ValueError as error:
        raise Http404("No such day.") from error
    user = logged_in_user(request)
    found = selectors.checkin_on(user=user, day=wanted)
    if found is None:
        raise Http404("No check-in that day.")
    unit = profile_get(user=user).distance_unit
    context = {
        "checkin": found,
        "distance": distance_in(found.distance_km, unit=unit),
        "unit": unit,
        "assessment": selectors.checkin_assessment(checkin=found),
        "contacts": care_contacts(user=user),
        "flags": [flag.label for flag in RED_FLAGS if getattr(found, flag.field)],
        "doctor_note": DOCTOR_NOTE,
    }
    return render(request, "journal/result.html", context)


@never_cache
@login_required
@require_GET
@vary_on_headers("HX-Request")
def progress(request: HtmxHttpRequest) -> HttpResponse:
    days = int(request.GET.get("days", "14")) if request.GET.get("days", "").isdigit() else 14
    if days not in selectors.PROGRESS_DAYS:
        days = 14
    summary = selectors.progress_get(user=logged_in_user(request), days=days, now=timezone.now())
    context = {
        "progress": summary,
        "chart": pain_chart(summary.series, target=summary.target),
        "choices": selectors.PROGRESS_DAYS,
    }
    # The 14/30/90 switch swaps only the trend.
    template = partial_template(request, "journal/progress.html", "trend")
    if template == "journal/progress.html":
        context["selfcheck"] = selfcheck_result_last(user=logged_in_user(request))
    return render(request, template, context)
