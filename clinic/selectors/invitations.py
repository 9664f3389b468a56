"""Invitations: the clinic's list, and whether a code can still be used."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from clinic.models import Invitation, Membership
from footing.errors import Invalid


def invitation_list(*, membership: Membership) -> QuerySet[Invitation]:
    return Invitation.objects.filter(clinic=membership.clinic).select_related("used_by")[:50]


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
