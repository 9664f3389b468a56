"""Who may see what on the clinic side. The one place that decides; pages and the API
both ask here.

- A clinician works for one clinic and sees only that clinic's patients, invitations,
  prescriptions, appointment requests and routines.
- Routines: the library (the content files) is read-only and everyone's. A clinic's own
  routine is seen by that clinic's staff and patients only, and edited and published by
  its staff only; to anyone else it does not exist (404). `routines_visible_to` is that
  rule, for every page and API route that serves a routine.
- Patients and runners (no clinic role) get 403 on every clinic page and API route;
  people who are not logged in are sent to log in (pages) or get 401 (API).
- Clinician notes on a patient are private to that clinic's staff: their routes (page
  and API, read and write) answer 404 to patients, runners and other clinics' staff
  alike, so not even a note's existence, or the route's, is revealed
  (`notes_staff_required`, `notes_auth`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja.security import SessionAuth

from clinic.models import ClinicRoutine, Membership, Role
from footing.errors import Forbidden, NotFound
from library.selectors import NONE, RoutineIds

NOT_STAFF = "Only the clinic's staff can open this."
NO_SUCH_PATIENT = "No such patient in your clinic."

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


def routines_visible_to(*, user: AnyUser) -> RoutineIds:
    """The clinic routines this person may see besides the library: their own clinic's
    (as its clinician or its patient), as a subquery, so asking costs no query of its own."""
    if not user.is_authenticated:
        return NONE
    return ClinicRoutine.objects.filter(clinic__memberships__user_id=user.pk).values("routine_id")


def clinic_routines_of(*, membership: Membership) -> RoutineIds:
    """The routines a clinician's clinic owns (what their editor may change)."""
    return ClinicRoutine.objects.filter(clinic_id=membership.clinic_id).values("routine_id")


@dataclass(frozen=True)
class ClinicRole:
    """What a person is to the clinic side: a clinician, a patient, or neither."""

    membership: Membership | None

    @property
    def clinician(self) -> bool:
        return self.membership is not None and self.membership.role == Role.CLINICIAN

    @property
    def patient(self) -> bool:
        return self.membership is not None and self.membership.role == Role.PATIENT


def clinic_role(*, user: AnyUser) -> ClinicRole:
    """One query: the person's membership (a person has at most one) and so their role."""
    if not user.is_authenticated:
        return ClinicRole(None)
    return ClinicRole(Membership.objects.select_related("clinic").filter(user_id=user.pk).first())


View = Callable[..., HttpResponse]


def _staff_pages(refusal: Callable[[Forbidden], Exception]) -> Callable[[View], View]:
    """A page decorator: log in first; then clinicians only, `refusal` for anyone else."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                membership = staff_membership(user=request.user)
            except Forbidden as error:
                raise refusal(error) from error
            return view(request, membership, *args, **kwargs)

        return wrapped

    return decorator


# Pages: log in first; then clinicians only (403 for anyone else). The view gets the
# membership as its second argument, so no page has to look up "which clinic?" itself.
clinician_required = _staff_pages(lambda error: PermissionDenied(error.message))

# The notes pages: the same, except that anyone logged in without a clinician role is
# told "not found", as another clinic's staff are.
notes_staff_required = _staff_pages(lambda error: Http404(NO_SUCH_PATIENT))


class ClinicianAuth(SessionAuth):
    """API: the session cookie (CSRF on), and a clinician role. `request.auth` is the
    clinician's membership. Not logged in → 401; logged in without the role → 403."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        if not request.user.is_authenticated:
            return None
        return staff_membership(user=request.user)


clinician_auth = ClinicianAuth()


class NotesAuth(ClinicianAuth):
    """The notes API: as `clinician_auth`, but 404 (not 403) without a clinician role."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        try:
            return super().authenticate(request, key)
        except Forbidden as error:
            raise NotFound(NO_SUCH_PATIENT) from error


notes_auth = NotesAuth()
