"""Who is told by Web Push when a routine gets a new version."""

from __future__ import annotations

from django.db.models import QuerySet

from clinic.models import PushSubscription, Role
from library.models import RoutineVersion


def push_recipients(*, version: RoutineVersion) -> QuerySet[PushSubscription]:
    """Subscriptions of patients who have this routine prescribed (active)."""
    return PushSubscription.objects.filter(
        user__prescriptions__routine_id=version.routine_id,
        user__prescriptions__active=True,
        user__memberships__role=Role.PATIENT,
    ).distinct()
