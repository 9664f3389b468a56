"""Pages for the clinic's content. Adapters only: selector in, template out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from clinic.permissions import routines_visible_to
from clinic.selectors.appointments import replies_of
from clinic.selectors.contacts import care_contacts
from clinic.selectors.prescriptions import patient_today
from footing.http import HtmxHttpRequest, clinic_private, page_errors, partial_template
from journal.selectors import today_get
from library import selectors
from library.doses import Dose
from library.illustrations.lookup import exercise_illustration
from library.models import Goal
from library.photos import exercise_photos
from library.return_plan import return_plan
from library.versions import items_shown, snapshot_of
from pwa.views.caching import cached_content_page
from selfcheck.selectors import selfcheck_result_last


@require_GET
@cached_content_page
def home(request: HttpRequest) -> HttpResponse:
    # Only logged-in pages carry "today" (the cache keeps anonymous pages only).
    now = timezone.now()
    context: dict[str, Any] = {
        "conditions": selectors.condition_list(),
        "today": [],
        "replies": [],
    }
    if isinstance(request.user, User):
        # A red flag ticked this morning changes the day: the triage instead of the session.
        context["triage"] = today_get(user=request.user, now=now).triage
        context["contacts"] = care_contacts(user=request.user)
        context["today"] = patient_today(user=request.user, now=now)
        context["selfcheck"] = selfcheck_result_last(user=request.user)
        context["replies"] = replies_of(user=request.user, now=now)
    return render(request, "pwa/home.html", context)


@require_GET
@cached_content_page
def condition_list(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/condition_list.html", {"conditions": selectors.condition_list()})


@require_GET
@cached_content_page
@page_errors
def condition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    condition = selectors.condition_get(slug=slug)
    context = {
        "condition": condition,
        "routines": selectors.condition_routines(condition=condition),
        "return_plan": condition.slug in return_plan().for_conditions,
    }
    return render(request, "pwa/condition_detail.html", context)


@require_GET
@cached_content_page
@vary_on_headers("HX-Request")
@page_errors
def exercise_list(request: HtmxHttpRequest) -> HttpResponse:
    goal = request.GET.get("goal") or None
    context = {
        "exercises": selectors.exercise_list(goal=goal),
        "goals": Goal.choices,
        "goal": goal,
    }
    # The goal filter swaps only the list.
    return render(
        request, partial_template(request, "pwa/exercise_list.html", "exercise-list"), context
    )


@require_GET
@cached_content_page
@page_errors
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = selectors.exercise_get(slug=slug)
    context = {
        "exercise": exercise,
        "dose": Dose.of(vars(exercise)).text,
        "routines": selectors.routines_using(exercise=exercise),
        "illustration": exercise_illustration(slug=exercise.slug),
        "photos": exercise_photos(exercise=exercise),
    }
    return render(request, "pwa/exercise_detail.html", context)


@require_GET
@cached_content_page
def routine_list(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/routine_list.html", {"routines": selectors.routine_list()})


@require_GET
@cached_content_page
@page_errors
def routine_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A clinic's own routine: for its staff and patients only (404 for anyone else).
    version = selectors.routine_version_get(slug=slug, also=routines_visible_to(user=request.user))
    snapshot = snapshot_of(version.snapshot)
    context = {"version": version, "routine": snapshot, "items": items_shown(snapshot)}
    response = render(request, "pwa/routine_detail.html", context)
    return clinic_private(response) if version.routine.kind == "clinic" else response
