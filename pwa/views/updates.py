""" "Your routine was updated": the notice a patient sees once, on home, at the top of the
routine's page and on the player's start screen.

Those pages are the same for everyone (they may be saved offline), so the notice is a
partial of its own that each page asks for (`hx-get` on load): answered only for the
logged-in patient, never stored by any cache, and marked seen as it is shown. A phone
that was offline gets the same notices in its next sync (api/offline.py).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic.selectors.updates import routine_updates
from clinic.services import routine_updates_seen


@require_GET
@never_cache
def routine_updates_partial(request: HttpRequest) -> HttpResponse:
    """The notices (only `?routine=<slug>`'s when given); 204 when there is nothing to say."""
    if not isinstance(request.user, User):
        return HttpResponse(status=204)
    slug = request.GET.get("routine") or None
    updates = routine_updates(user=request.user, slug=slug)
    if not updates:
        return HttpResponse(status=204)
    routine_updates_seen(user=request.user, seen=[(u.slug, u.version) for u in updates])
    context = {"updates": updates, "links": slug is None}
    response = render(request, "clinic/_routine_updates.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
