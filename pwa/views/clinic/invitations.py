"""The clinic's invitations: make one, pass it on (link, QR code, share), list them,
withdraw one.

Adapters: permission (`clinician_required`) → form → service or selector → template."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic import services
from clinic.models import Invitation, Membership
from clinic.permissions import clinician_required
from clinic.selectors.appointments import appointment_counts
from clinic.selectors.invitations import invitation_get, invitation_list, invitation_open
from footing.http import page_errors
from pwa.forms.clinic import InvitationForm
from pwa.qr import qr_svg


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
        "share": _share(request, created) if created else None,
        "invitations": invitation_list(membership=membership),
        "now": timezone.now(),
        "appointments": appointment_counts(membership=membership),
    }
    return render(request, "clinic/invitations.html", context, status=201 if created else 200)


@require_GET
@clinician_required
@page_errors
def invitation_share(
    request: HttpRequest, membership: Membership, invitation_id: int
) -> HttpResponse:
    """One invitation to pass on again: the link, a QR code, copy, share, email, text."""
    invitation = invitation_get(membership=membership, invitation_id=invitation_id)
    context = {
        "membership": membership,
        "invitation": invitation,
        "share": _share(request, invitation)
        if invitation_open(invitation, now=timezone.now())
        else None,
        "appointments": appointment_counts(membership=membership),
    }
    return render(request, "clinic/invitation.html", context)


def _share(request: HttpRequest, invitation: Invitation) -> dict[str, object]:
    link = request.build_absolute_uri(reverse("care:join", args=[invitation.code]))
    clinic = invitation.clinic.name
    text = f"{clinic} invites you to Footing: open this link to join (it works once)."
    return {
        "invitation": invitation,
        "link": link,
        "text": text,
        "qr": qr_svg(link, label=f"QR code of the invitation link to join {clinic}"),
        "mailto": "mailto:?"
        + urlencode(
            {"subject": f"Join {clinic} on Footing", "body": f"{text}\n{link}"}, quote_via=quote
        ),
        "sms": "sms:?" + urlencode({"body": f"{text} {link}"}, quote_via=quote),
    }


@require_POST
@clinician_required
@page_errors
def invitation_revoke(
    request: HttpRequest, membership: Membership, invitation_id: int
) -> HttpResponse:
    services.invitation_revoke(membership=membership, invitation_id=invitation_id)
    return redirect("clinic:invitations")
