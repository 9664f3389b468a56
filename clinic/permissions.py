"""Who may see what on the clinic side. The one place that decides; pages and the API
both ask here.

- A clinician works for one clinic and sees only that clinic's patients, invitations,
  prescriptions and appointment requests. Routines are the shared library, so any
  clinician may edit and publish them.
- Patients and runners (no clinic role) get 403 on every clinic page and API route;
  people who are not logged in are sent to log in (pages) or get 401 (API).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja.security import SessionAuth

from clinic.models import Membership, Role
from footing.errors import Forbidden

NOT_STAFF = "Only the clinic's staff can open this."

AnyUser = User | AbstractBaseUser | AnonymousUser


def staff_membership(*, user: AnyUser) -> Membership:
    """The clinician's membership (with its clinic), or Forbidden for everyone else."""
    if user.is_authenticated:
        membership = (
            Membership.objects.select_related("clinic")
            .filter(user_id=user.pk, role=Role.CLINICIAN)
            .first()
        )
        if membership is not None:
            return membership
    raise Forbidden(NOT_STAFF)


def is_clinician(*, user: AnyUser) -> bool:
    try:
        staff_membership(user=user)
    except Forbidden:
        return False
    return True


def patient_membership(*, user: AnyUser) -> Membership | None:
    """The person's membership as a patient, if they are one."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("clinic")
        .filter(user_id=user.pk, role=Role.PATIENT)
        .first()
    )


def clinician_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages: log in first; then clinicians only. The view gets the membership as its
    second argument, so no page has to look up "which clinic?" on its own."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = staff_membership(user=request.user)
        except Forbidden as error:
            raise PermissionDenied(error.message) from error
        return view(request, membership, *args, **kwargs)

    return wrapped


class ClinicianAuth(SessionAuth):
    """API: the session cookie (CSRF on), and a clinician role. `request.auth` is the
    clinician's membership. Not logged in → 401; logged in without the role → 403."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        if not request.user.is_authenticated:
            return None
        return staff_membership(user=request.user)


clinician_auth = ClinicianAuth()
