"""Writes of notifications: turning push on and off for a browser, and telling people
things (`notices_send`), which the rest of Footing calls to reach a closed app."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from footing.errors import Conflict
from notifications.endpoints import endpoint_check, keys_check
from notifications.models import Delivery, Kind, Notice, PushSubscription
from notifications.tasks import delivery_enqueue

# Callers name a notice's kind and read the notices made through this module.
__all__ = ["Announcement", "Kind", "Notice", "notices_send", "push_subscribe", "push_unsubscribe"]


@transaction.atomic
def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Remember this browser for `user`. The endpoint must be a real push service's; an
    endpoint that already belongs to another account stays theirs (409): the browser
    makes a fresh subscription instead. Past the cap, the person's oldest goes."""
    endpoint_check(endpoint)
    keys_check(p256dh=p256dh, auth=auth)
    existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if existing is not None and existing.user_id != user.pk:
        raise Conflict("This browser's notifications belong to another account.", field="endpoint")
    if existing is not None:
        existing.p256dh, existing.auth = p256dh, auth
        existing.save(update_fields=["p256dh", "auth"])
        return existing
    try:
        with transaction.atomic():
            subscription = PushSubscription.objects.create(
                user=user, endpoint=endpoint, p256dh=p256dh, auth=auth
            )
    except IntegrityError as error:  # the same endpoint, subscribed at the same moment
        raise Conflict("This browser is already subscribed.", field="endpoint") from error
    keep = PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk")
    old = keep.values_list("pk", flat=True)[settings.PUSH_MAX_SUBSCRIPTIONS_PER_PERSON :]
    PushSubscription.objects.filter(pk__in=list(old)).delete()
    return subscription


def push_unsubscribe(*, user: User, endpoint: str) -> None:
    PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()


@dataclass(frozen=True)
class Announcement:
    """A notice to make for one person: `key` says what it is about, once per person."""

    user_id: int
    kind: Kind
    key: str
    title: str
    body: str
    url: str
    ttl: timedelta


def notices_send(*, announcements: Iterable[Announcement], now: datetime) -> list[Notice]:
    """Make each announcement a notice and queue one delivery per browser of its person.

    Call it inside the transaction that causes the news (a publish, a reply): the notices
    and their tasks are committed with it or not at all. People without notifications on
    get nothing; a key a person was already told about is skipped, so running this twice
    (two workers' reminder ticks, a retried request) tells nobody twice.
    """
    wanted = list(announcements)
    if not wanted:  # (a reminder tick with nobody due: no query, no savepoint)
        return []
    browsers: dict[int, list[int]] = defaultdict(list)
    for pk, user_id in PushSubscription.objects.filter(
        user_id__in={a.user_id for a in wanted}
    ).values_list("pk", "user_id"):
        browsers[user_id].append(pk)
    made = []
    with transaction.atomic():
        for announcement in wanted:
            if not browsers[announcement.user_id]:
                continue
            notice = _notice_create(announcement, now=now)
            if notice is None:
                continue
            deliveries = Delivery.objects.bulk_create(
                Delivery(notice=notice, subscription_id=pk, next_attempt_at=now)
                for pk in browsers[announcement.user_id]
            )
            for made_delivery in deliveries:
                delivery_enqueue(delivery_id=made_delivery.pk)
            made.append(notice)
    return made


def _notice_create(announcement: Announcement, *, now: datetime) -> Notice | None:
    if Notice.objects.filter(user_id=announcement.user_id, key=announcement.key).exists():
        return None
    try:
        with transaction.atomic():
            return Notice.objects.create(
                user_id=announcement.user_id,
                kind=announcement.kind,
                key=announcement.key,
                title=announcement.title[:80],
                body=_clip(announcement.body, 240),
                url=announcement.url,
                expires_at=now + announcement.ttl,
            )
    except IntegrityError:  # made by a concurrent tick a moment ago
        return None


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
