"""Invitations: the clinic's list and each one, and whether a code can still be used."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from accounts.selectors import person_columns
from clinic.models import Invitation, Membership
from footing.errors import Invalid, NotFound


def invitation_list(*, membership: Membership) -> QuerySet[Invitation]:
    """The clinic's newest invitations, each with the name of whoever used it (`used_by_name`)."""
    return (
        Invitation.objects.filter(clinic=membership.clinic)
        .select_related("clinic")
        .annotate(used_by_name=person_columns(user="used_by__").name)[:50]
    )


def invitation_get(*, membership: Membership, invitation_id: int) -> Invitation:
    """One of the clinic's invitations; another clinic's is "not found"."""
    invitation = (
        Invitation.objects.filter(pk=invitation_id, clinic=membership.clinic)
        .select_related("clinic")
        .first()
    )
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation


def invitation_open(invitation: Invitation, *, now: datetime) -> bool:
    """Can it still be passed on and used?"""
    return invitation.used_at is None and not invitation.revoked and invitation.expires_at > now


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def invitation_usable(*, code: str, now: datetime, lock: bool = False) -> Invitation:
    """The invitation behind a code, or Invalid saying plainly why it cannot be used."""
    invitations = Invitation.objects.select_related("clinic")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(code=normalise_code(code)).first()
    if invitation is None:
        raise Invalid(
            "That invitation code is not right. Check it with your clinic.", field="invitation"
        )
    if invitation.used_at is not None:
        raise Invalid("That invitation has already been used.", field="invitation")
    if invitation.revoked:
        raise Invalid(
            "That invitation was withdrawn. Ask your clinic for a new one.", field="invitation"
        )
    if invitation.expires_at <= now:
        raise Invalid(
            "That invitation has expired. Ask your clinic for a new one.", field="invitation"
        )
    return invitation


def invitation_for_signup(*, code: str, now: datetime) -> Invitation | None:
    """The invitation a sign-up page names ("Join <clinic>"), if the code is usable."""
    if not normalise_code(code):
        return None
    try:
        return invitation_usable(code=code, now=now)
    except Invalid:
        return None
