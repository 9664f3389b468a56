"""The clinic's phone number: set by its clinicians, shown to its patients beside every
red-flag triage as a tap-to-call link. Adapter over clinic.services.clinic_phone_set."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from clinic.models import Membership
from clinic.permissions import clinician_required
from clinic.services import clinic_phone_set
from footing.errors import FootingError
from footing.http import HtmxHttpRequest

PARTIAL = "clinic/_phone.html"


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
def phone_set(request: HtmxHttpRequest, membership: Membership) -> HttpResponse:
    phone = request.POST.get("phone", "")
    try:
        clinic = clinic_phone_set(membership=membership, phone=phone)
    except FootingError as error:
        context = {"membership": membership, "phone": phone, "error": error.message}
        return render(request, PARTIAL, context, status=422)
    if request.htmx:
        return render(
            request, PARTIAL, {"membership": membership, "phone": clinic.phone, "saved": True}
        )
    return redirect("accounts:profile")
