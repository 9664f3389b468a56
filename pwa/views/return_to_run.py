"""The return-to-running plan, the runner's side: the plan (the same page for everyone),
where they are on it, and one step on or back. Adapters: the rules are journal's
(journal.services / journal.selectors); the clinician's side is in pwa/views/clinic/."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.selectors import profile_get
from footing.errors import FootingError
from footing.http import HtmxHttpRequest
from journal import selectors, services
from library.return_plan import return_plan
from pwa.views.caching import cached_content_page


def _runner_context(user: User | None) -> dict[str, Any]:
    plan = return_plan()
    context: dict[str, Any] = {"plan": plan, "row": None, "current": None, "error": ""}
    if user is None:
        return context
    row = selectors.return_to_run_get(user=user)
    if row is None and profile_get(user=user).main_condition not in plan.for_conditions:
        return context  # not on the plan: the page is the plan, as for anyone
    slug = row.stage if row else ""
    now = timezone.now()
    today = selectors.today_get(user=user, now=now)
    ahead, not_yet = selectors.return_to_run_next(user=user, now=now)
    advice = selectors.checkin_assessment(checkin=today.checkin).advice if today.checkin else None
    return context | {
        "row": row,
        "current": plan.stage(slug),
        "ahead": ahead,
        "not_yet": not_yet,
        "behind": plan.before_this(slug),
        "advice": advice,
    }


@require_GET
@cached_content_page
def plan(request: HttpRequest) -> HttpResponse:
    """The plan, the same page for everyone (person-free): the runner's own place on it
    is the `you` partial, which the page fetches."""
    return render(request, "journal/return_to_running.html", {"plan": return_plan()})


@login_required
@require_GET
@vary_on_headers("HX-Request")
def you(request: HtmxHttpRequest) -> HttpResponse:
    """Where the runner is on the plan, and one step on or back when that is allowed."""
    assert isinstance(request.user, User)  # behind login_required
    return _render_you(request, _runner_context(request.user))


def _render_you(
    request: HtmxHttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = "journal/return_to_running_you.html"
    if request.htmx and not request.htmx.boosted:
        template += "#you"
    return render(request, template, context, status=status)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def step(request: HtmxHttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # behind login_required
    try:
        services.return_to_run_step(user=request.user, to=request.POST.get("stage", ""))
    except FootingError as error:
        context = _runner_context(request.user) | {"error": error.message}
        return _render_you(request, context, status=422)
    return redirect("pwa:return_to_running")
