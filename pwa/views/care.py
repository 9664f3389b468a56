"""Pages for patients and runners: following an invitation link, the confirmation after
joining, and booking a time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.throttle import TOO_MANY_TRIES, rate_limited
from clinic import services
from clinic.permissions import clinic_role
from clinic.selectors import appointments, invitations
from footing.errors import FootingError
from footing.http import logged_in_user
from pwa.forms.clinic import AppointmentForm
from pwa.views.accounts import signup_page


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """An invitation link: new people sign up to the clinic right here; someone already
    logged in joins with one tap. Codes can be guessed, so tries are limited per address."""
    if rate_limited(request, action="invitation"):
        context = {"error": TOO_MANY_TRIES, "throttled": True}
        return render(request, "clinic/join.html", context, status=429)
    try:
        invitation = invitations.invitation_usable(code=code, now=timezone.now())
        if request.method == "POST" and isinstance(request.user, User):
            services.invitation_accept(code=code, user=request.user, now=timezone.now())
            return redirect("care:joined")
    except FootingError as error:
        return render(request, "clinic/join.html", {"error": error.message}, status=410)
    if request.user.is_authenticated:
        return render(request, "clinic/join.html", {"invitation": invitation})
    # New people get "Join <clinic>" sign-up here, at the link they were given.
    return signup_page(request, code=invitation.code, joining=True)


@login_required
@require_GET
def joined(request: HttpRequest) -> HttpResponse:
    """After joining: which clinic, what they will see, and what to do next."""
    role = clinic_role(user=request.user)
    if not role.patient:
        return redirect("pwa:home")
    return render(request, "clinic/joined.html", {"membership": role.membership})


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    clinics = {c.slug: c for c in appointments.clinics_for_booking(user=user)}
    form = AppointmentForm(request.POST or None, clinics=[(s, c.name) for s, c in clinics.items()])
    sent = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.appointment_request_create(
                user=user,
                clinic=clinics[data["clinic"]],
                reason=data["reason"],
                preferred_times=data["preferred_times"],
                contact=data["contact"],
            )
        except FootingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    context = {"form": form, "sent": sent, "has_clinic": bool(clinics)}
    status = 201 if sent else 422 if form.errors else 200
    return render(request, "clinic/book.html", context, status=status)
