"""Reads of notifications: whose browsers can be reached, and what a person was told."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

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


# ---- the person's data export (exports.selectors) ------------------------------------
def push_subscriptions_of(*, user: User) -> Iterator[dict[str, Any]]:
    """Each browser that may be sent notifications: where to, and when (the keys are the
    browser's own encryption keys, not something about the person)."""
    for subscription in PushSubscription.objects.filter(user=user):
        last = subscription.last_sent_at
        yield {
            "endpoint": subscription.endpoint,
            "created_at": subscription.created_at.isoformat(),
            "last_sent_at": last.isoformat() if last else None,
        }


def notices_as_rows(*, user: User) -> Iterator[dict[str, Any]]:
    """What Footing told the person (kept 30 days after it expired), with how it went."""
    for notice in Notice.objects.filter(user=user).prefetch_related("deliveries"):
        yield {
            "kind": notice.kind,
            "title": notice.title,
            "body": notice.body,
            "url": notice.url,
            "created_at": notice.created_at.isoformat(),
            "deliveries": sorted(d.status for d in notice.deliveries.all()),
        }
