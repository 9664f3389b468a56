"""Which clinic a person belongs to, for pages that name it (the printed handout)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from clinic.models import Clinic, Membership, Role


def own_clinic(*, user: User | AnonymousUser) -> Clinic | None:
    """The clinic a patient is a patient of; None for anyone else (runners, staff)."""
    if not isinstance(user, User):
        return None
    membership = (
        Membership.objects.filter(user_id=user.pk, role=Role.PATIENT)
        .select_related("clinic")
        .first()
    )
    return membership.clinic if membership is not None else None
