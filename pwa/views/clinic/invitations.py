"""The clinic's invitations: make one, list them, withdraw one.

Adapters: permission (`clinician_required`) → form → service or selector → template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from clinic import services
from clinic.models import Membership
from clinic.permissions import clinician_required
from clinic.selectors.invitations import invitation_list
from footing.http import page_errors
from pwa.forms.clinic import InvitationForm


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
        "invitations": invitation_list(membership=membership),
        "now": timezone.now(),
    }
    return render(request, "clinic/invitations.html", context, status=201 if created else 200)


@require_POST
@clinician_required
@page_errors
def invitation_revoke(
    request: HttpRequest, membership: Membership, invitation_id: int
) -> HttpResponse:
    services.invitation_revoke(membership=membership, invitation_id=invitation_id)
    return redirect("clinic:invitations")
