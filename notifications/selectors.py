"""Reads of notifications: whose browsers can be reached, and what a person was told."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import QuerySet

from notifications import vapid
from notifications.models import Notice, PushSubscription


def push_available() -> bool:
    """Whether this server can send push at all (it has a VAPID key)."""
    return bool(vapid.public_key())


def push_public_key() -> str:
    return vapid.public_key()


def subscriptions_of(*, user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user)


def users_reachable(*, user_ids: Iterable[int]) -> set[int]:
    """Which of these people have notifications on in at least one browser."""
    return set(
        PushSubscription.objects.filter(user_id__in=set(user_ids)).values_list("user_id", flat=True)
    )


def notices_of(*, user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user)
