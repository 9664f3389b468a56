"""The guided session player: the server renders the routine version, the same for everyone;
player.js plays it, with a patient's own doses from the plan API (plan.js)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinic.permissions import routines_visible_to
from footing.http import clinic_private, page_errors
from journal.advice import PAIN_LIMIT
from library import selectors
from library.models import RoutineVersion
from library.versions import items_shown, snapshot_of
from pwa.views.caching import cached_content_page
from training import selectors as training_selectors
from training.models import Effort, SkipReason


def player_data(version: RoutineVersion) -> dict[str, Any]:
    """Everything the player needs to run with no signal, in one JSON document."""
    snapshot = snapshot_of(version.snapshot)
    return {
        "routine": snapshot["slug"],
        "title": snapshot["title"],
        "version": version.number,
        "routine_url": reverse("pwa:routine", args=[snapshot["slug"]]),
        "items": items_shown(snapshot),
        # The pain-monitoring limit the player warns above (journal's rule, not typed again).
        "pain_limit": PAIN_LIMIT,
        "labels": session_labels(),
    }


def session_labels() -> dict[str, dict[str, str]]:
    """The words for a session's answers, as the player and the phone's history show them."""
    return {
        "skip_reasons": {value: label.lower() for value, label in SkipReason.choices},
        "efforts": {value: label.lower() for value, label in Effort.choices},
    }


# What the player says when an exercise is skipped because it hurt: the morning check-in's
# advice for pain above the limit (journal.advice's soft-tissue and bone rules).
# Written here until journal.advice offers it as one function (asked of the safety work).
def pain_advice() -> dict[str, Any]:
    return {
        "heading": "Back off a little",
        "lines": [
            f"An exercise that hurts more than {PAIN_LIMIT} out of 10 is more than your foot "
            "should take today. Make the next one shorter or easier, then build up again "
            "from there.",
            "After a stress fracture, or with pain under the ball of the foot "
            "(metatarsalgia), any pain at the sore spot means a step back: leave this "
            "exercise out and tell your clinician.",
            "If the pain is sharp, keeps rising or is still there tomorrow morning, tell "
            "your clinician. Tomorrow's check-in shows whether it settled.",
        ],
    }


@require_GET
@cached_content_page
@page_errors
def player(request: HttpRequest, slug: str) -> HttpResponse:
    # A clinic's own routine: for its staff and patients only (404 for anyone else).
    version = selectors.routine_version_get(slug=slug, also=routines_visible_to(user=request.user))
    context = {
        "routine": snapshot_of(version.snapshot),
        "version": version,
        # The routine as published, the same for everyone (the page is kept offline): a
        # patient's own doses come from the plan API, read by plan.js.
        "data": player_data(version),
        "pain_scale": range(11),
        "pain_limit": PAIN_LIMIT,
        "pain_advice": pain_advice(),
    }
    response = render(request, "pwa/player.html", context)
    return clinic_private(response) if version.routine.kind == "clinic" else response


@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """Sessions played: from the server when logged in; from the phone's own store when not
    (history.js fills the list in; anonymous runners' logs never leave their phone)."""
    context: dict[str, Any] = {"week": None, "sessions": [], "labels": session_labels()}
    if request.user.is_authenticated:
        context["week"] = training_selectors.sessions_this_week(
            user=request.user, now=timezone.now()
        )
        context["sessions"] = training_selectors.session_list(user=request.user)[:30]
    return render(request, "pwa/history.html", context)
