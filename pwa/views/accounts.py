"""Account pages: adapters from forms to accounts.services, and the data download."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services
from accounts.backends import PROFILE_BACKEND
from accounts.middleware import session_zone_remember
from accounts.throttle import TOO_MANY_TRIES, LoginWait, rate_limited
from clinic.permissions import is_clinician
from clinic.selectors.invitations import invitation_for_signup
from clinic.selectors.membership import own_clinic
from clinic.services import invitation_accept, patient_signup
from exports.selectors import checkins_as_csv, export_as_json
from footing.errors import Conflict, Invalid
from footing.http import logged_in_user
from pwa.forms.accounts import (
    DeleteAccountForm,
    LoginForm,
    ProfileForm,
    SignupForm,
    WelcomeForm,
)
from pwa.forms.reminders import RoutineReminderForm
from pwa.views import notifications
from reminders import services as reminders


class LoginView(auth.LoginView):
    """Runners land on the morning check-in; clinicians on their patients. Guessing is
    slowed by django-axes (accounts/throttle.py); `locked_out` is its answer."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        if is_clinician(user=self.request.user):
            return resolve_url("clinic:dashboard")
        return super().get_default_redirect_url()


LOCKED = {
    "account": (
        "Too many wrong passwords for this account from here. Wait {minutes} minute(s) and "
        "try again, or reset your password."
    ),
    "address": "Too many failed log-ins from this network. Wait {minutes} minute(s) and try again.",
}


def locked_out(
    request: HttpRequest, original: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The throttle's answer to a log-in it refused (pages and the admin alike): the log-in
    page again, saying how long to wait, with 429 Too Many Requests."""
    wait = getattr(request, "footing_login_wait", None)
    if not isinstance(wait, LoginWait):  # locked by something other than the count
        wait = LoginWait(kind="account", seconds=15 * 60)
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "locked": LOCKED[wait.kind].format(minutes=wait.minutes)}
    return render(request, "accounts/login.html", context, status=429)


class PasswordResetView(auth.PasswordResetView):
    """Each try sends an email, so tries are limited per address (accounts/throttle.py)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if rate_limited(request, action="password-reset"):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, TOO_MANY_TRIES)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out, and tell the browser to drop what it cached for this person.

    The phone's own stores (the service worker's caches, the outbox, the player's progress
    and history) are cleared by static/js/logout.js first, after offering what is still
    waiting to sync; `Clear-Site-Data: "cache"` covers the HTTP cache, also without
    JavaScript. Saved routines are public content and stay.
    """
    logout(request)
    response = redirect(settings.LOGOUT_REDIRECT_URL)
    response["Clear-Site-Data"] = '"cache"'
    return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pwa:checkin")
    code = request.POST.get("invitation") or request.GET.get("invitation") or ""
    return signup_page(request, code=code)


def signup_page(request: HttpRequest, *, code: str, joining: bool = False) -> HttpResponse:
    """Sign-up, as "Join <clinic>" when it carries a usable invitation code (an invitation
    link renders it straight away: `joining`, the link's own view counted the try)."""
    form = SignupForm(request.POST or None, initial={"invitation": code})
    if code and not joining and rate_limited(request, action="invitation"):
        # A code tried here is checked like one in a /join/ link: the same limit.
        form.is_valid()
        form.add_error("invitation", TOO_MANY_TRIES)
        return render(request, "accounts/signup.html", {"form": form}, status=429)
    invitation = invitation_for_signup(code=code, now=timezone.now())
    context = {"form": form, "invitation": invitation}
    if request.method == "POST" and form.is_valid():
        details = {
            k: form.cleaned_data[k] for k in ("username", "password", "time_zone", "display_name")
        }
        try:
            if form.cleaned_data["invitation"]:
                user = patient_signup(invitation=form.cleaned_data["invitation"], **details)
            else:
                user = services.account_create(**details)
        except Invalid as error:  # a bad name, or the invitation was spent while they typed
            field = error.field if error.field in form.fields else "invitation"
            form.add_error(field, error.message)
            return render(request, "accounts/signup.html", context, status=422)
        login(request, user, backend=PROFILE_BACKEND)
        # The welcome says which clinic they joined, if any (care:joined is for someone
        # already logged in who follows an invitation link).
        return redirect("accounts:welcome")
    return render(request, "accounts/signup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    """Where sign-up ends: the main problem, a reminder time and a clinic code (each may be
    skipped), and the sessions played on this phone before the account (keep-sessions.js)."""
    user = logged_in_user(request)
    current = selectors.profile_get(user=user)
    clinic = own_clinic(user=user)
    in_clinic = clinic is not None or is_clinician(user=user)
    form = WelcomeForm(
        request.POST or None,
        in_clinic=in_clinic,
        initial={"main_condition": current.main_condition, "reminder_time": current.reminder_time},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a code spent meanwhile keeps the rest unsaved too
                services.profile_update(
                    user=user,
                    main_condition=form.cleaned_data["main_condition"],
                    reminder_time=form.cleaned_data["reminder_time"],
                    time_zone=current.time_zone,
                    distance_unit=current.distance_unit,
                )
                if form.cleaned_data.get("invitation"):
                    invitation_accept(
                        code=form.cleaned_data["invitation"], user=user, now=timezone.now()
                    )
        except (Invalid, Conflict) as error:  # the code was spent, or they joined meanwhile
            form.add_error("invitation", error.message)
        else:
            return redirect("pwa:home")
    status = 422 if form.errors else 200
    context = {"form": form, "clinic": clinic}
    return render(request, "accounts/welcome.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    return profile_page(request)


def profile_page(
    request: HttpRequest, *, routine_form: RoutineReminderForm | None = None, status: int = 200
) -> HttpResponse:
    """The account page; a refused routine-reminder form comes back here with its errors."""
    user = logged_in_user(request)
    current = selectors.profile_get(user=user)
    initial = {
        "display_name": current.display_name,
        "phone": current.phone,
        "main_condition": current.main_condition,
        "time_zone": current.time_zone,
        "reminder_time": current.reminder_time,
        "distance_unit": current.distance_unit,
    }
    posted = request.POST if request.method == "POST" and routine_form is None else None
    form = ProfileForm(posted, initial=initial)
    saved = request.GET.get("saved") == "reminder"
    if posted is not None and form.is_valid():
        try:
            current = services.profile_update(user=user, **form.cleaned_data)
            session_zone_remember(request, time_zone=current.time_zone)
            saved = True
        except Invalid as error:
            form.add_error(error.field, error.message)
    context = {"form": form, "profile": current, "saved": saved}
    context |= notifications.settings_context(user, routine_form)
    return render(request, "accounts/profile.html", context, status=422 if form.errors else status)


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponseBase:
    """Everything Footing holds about the person, streamed section by section."""
    chunks = export_as_json(user=logged_in_user(request))
    response = StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")
    return _attachment(response, "json")


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponseBase:
    """The check-ins as a spreadsheet: one row per morning (the JSON has everything)."""
    chunks = checkins_as_csv(user=logged_in_user(request))
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    return _attachment(response, "csv")


def _attachment(response: HttpResponseBase, extension: str) -> HttpResponseBase:
    day = timezone.now().date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="footing-{day}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        services.account_delete(user=user)
        return render(request, "accounts/deleted.html")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
@require_POST
def routine_reminder(request: HttpRequest) -> HttpResponse:
    """Save the patient's "Today: <routine>" reminder (templates/notifications/_settings.html)."""
    form = RoutineReminderForm(request.POST)
    if not form.is_valid():
        return profile_page(request, routine_form=form, status=422)
    on = form.cleaned_data["on"]
    reminders.routine_reminder_set(
        user=logged_in_user(request),
        at=form.cleaned_data["time"] if on else None,
        weekdays=form.weekdays,
    )
    return redirect(reverse("accounts:profile") + "?saved=reminder#notifications")
