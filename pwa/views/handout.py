"""The printed handout of a routine: the programme for the fridge door.

One or two sheets of A4 or Letter: each exercise's drawing, dose and cues, the pain rule,
and the clinic's name, for a patient with the doses their clinic prescribed. The routine
page prints cleanly too (the print stylesheet hides the app's chrome everywhere); this page
is laid out for paper.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.permissions import routines_visible_to
from clinic.selectors.membership import own_clinic
from clinic.selectors.prescriptions import player_plan
from footing.http import clinic_private, page_errors
from journal.advice import PAIN_LIMIT
from library import selectors
from pwa.views.caching import cached_content_page
from pwa.views.player import player_data

# A fortnight of tick boxes under the exercises, Monday first (ISO 8601).
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@require_GET
@cached_content_page
@page_errors
def routine_handout(request: HttpRequest, slug: str) -> HttpResponse:
    # A clinic's own routine: for its staff and patients only (404 for anyone else).
    version = selectors.routine_version_get(slug=slug, also=routines_visible_to(user=request.user))
    plan = player_plan(user=request.user, version=version, data=player_data(version))
    context = {
        "routine": version.snapshot,
        "version": version,
        "plan": plan,
        "clinic": own_clinic(user=request.user) if plan.get("prescribed") else None,
        "pain_limit": PAIN_LIMIT,
        "routine_url": request.build_absolute_uri(plan["routine_url"]),
        "weekdays": WEEKDAYS,
    }
    response = render(request, "pwa/routine_handout.html", context)
    return clinic_private(response) if version.routine.kind == "clinic" else response
