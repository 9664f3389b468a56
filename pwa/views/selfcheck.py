"""The self-check pages. Adapters: form → evaluator (via selectors) → template.

One URL walks the whole check with plain form posts that carry the answers so far in
hidden fields, so it works without JavaScript and keeps no state on the server; htmx
swaps just the screen. POST rather than GET keeps health answers out of URLs and logs.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from footing.errors import Invalid
from footing.http import HtmxHttpRequest, logged_in_user, partial_template
from selfcheck import selectors, services
from selfcheck.evaluator import answers_decode, answers_step
from selfcheck.rules import Answer

TEMPLATE = "selfcheck/selfcheck.html"


def _render(
    request: HtmxHttpRequest, answers: dict[str, Answer], *, status: int = 200, **extra: Any
) -> HttpResponse:
    rules = selectors.selfcheck_rules()
    pages = selectors.selfcheck_pages(rules=rules)
    context = {
        "screen": selectors.selfcheck_screen(rules=rules, answers=answers, pages=pages),
        "rules": rules,
        **extra,
    }
    screen = context["screen"]
    if screen.outcome is not None and not request.user.is_authenticated:
        # A result with no account yet: the phone keeps it to offer at sign-up
        # (selfcheck.js writes it, keep-selfcheck.js offers it on the welcome page).
        context["on_phone"] = json.dumps(
            {
                "answers": answers,
                "pointed_to": screen.matches[0][1].name if screen.matches else "",
                "condition": screen.matches[0][1].slug if screen.matches else "",
                "urgency": screen.outcome.urgency or "",
            }
        )
    template = partial_template(request, TEMPLATE, "screen")
    if template == TEMPLATE:  # the whole page: with the rules for offline use
        context["client_data"] = selectors.selfcheck_client_data(rules=rules, pages=pages)
    return render(request, template, context, status=status)


# No CSRF check on the walk: a step is a pure function of the answers posted (nothing is
# stored, no session or person is read), and the page is kept by the service worker, so
# the token drawn into a cached copy may be older than the browser's cookie. Saving a
# result (selfcheck_save) is a change and keeps the check.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def selfcheck(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, {})
    try:
        answers = answers_step(
            rules=selectors.selfcheck_rules(),
            answers=answers_decode(request.POST.getlist("a")),
            question=request.POST.get("question", ""),
            answer=request.POST.get("answer", ""),
            back="back" in request.POST,
        )
    except Invalid as error:
        return _render(request, {}, status=422, error=error.message)
    return _render(request, answers)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def selfcheck_save(request: HtmxHttpRequest) -> HttpResponse:
    answers = answers_decode(request.POST.getlist("a"))
    try:
        saved = services.selfcheck_result_save(user=logged_in_user(request), answers=answers)
    except Invalid as error:
        return _render(request, {}, status=422, error=error.message)
    return _render(request, saved.answers, saved=saved)
