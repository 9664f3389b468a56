"""One delivery attempt's bookkeeping: claim it, then record what the push service said.

Claiming is a conditional update (pending → sending), so two tasks that ever hold the
same delivery cannot both send it. The push request itself runs outside any database
transaction: a slow push service must not hold SQLite's write lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F

from notifications.models import Delivery, DeliveryStatus, Notice, PushSubscription
from notifications.push import Answer

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)


def backoff(attempts: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min, ~2 h after the 1st … 5th failed attempt."""
    return FIRST_RETRY * int(4 ** max(0, attempts - 1))


def claim(*, delivery_id: int, now: datetime) -> Delivery | None:
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, attempt_started_at=now
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("notice", "subscription").get(pk=delivery_id)


def expire(*, delivery: Delivery, now: datetime) -> None:
    """Too late to be news (the notice expired while it waited): give up quietly."""
    _finish(delivery, DeliveryStatus.FAILED, now=now, status=None)


def record(*, delivery: Delivery, answer: Answer, now: datetime) -> datetime | None:
    """Store the outcome; returns when to try again, or None when this delivery is done."""
    if answer.accepted:
        _finish(delivery, DeliveryStatus.SENT, now=now, status=answer.status)
        PushSubscription.objects.filter(pk=delivery.subscription_id).update(last_sent_at=now)
        return None
    if answer.gone:
        # The browser unsubscribed or the push service forgot it: so do we (and with it
        # this subscription's deliveries).
        PushSubscription.objects.filter(pk=delivery.subscription_id).delete()
        return None
    retry_at = now + max(backoff(delivery.attempts), answer.retry_after or timedelta(0))
    retry = answer.transient and delivery.attempts < MAX_ATTEMPTS
    if retry and retry_at < delivery.notice.expires_at:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING,
            next_attempt_at=retry_at,
            attempt_started_at=None,
            last_status=answer.status,
        )
        return retry_at
    _finish(delivery, DeliveryStatus.FAILED, now=now, status=answer.status)
    return None


def _finish(delivery: Delivery, outcome: str, *, now: datetime, status: int | None) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=outcome, finished_at=now, attempt_started_at=None, last_status=status
    )


def task_assign(*, delivery_id: int, task_id: str) -> None:
    Delivery.objects.filter(pk=delivery_id).update(task_id=task_id)


def lost(*, now: datetime) -> list[Delivery]:
    """Deliveries that should have run by now and have not finished: candidates for a
    new task when the one they had is gone (see tasks.deliveries_recover)."""
    return list(
        Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING],
            next_attempt_at__lte=now,
        ).order_by("next_attempt_at")[:500]
    )


def requeue(*, delivery: Delivery, now: datetime) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempt_started_at=None, next_attempt_at=now
    )


def notices_prune(*, now: datetime) -> None:
    """Old notices say nothing any more (and carry a routine's name): keep 30 days."""
    Notice.objects.filter(expires_at__lt=now - timedelta(days=30)).delete()
