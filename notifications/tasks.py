"""Notifications' background work (Django's `django.tasks`, run by `manage.py worker`).

`delivery_send` is one attempt of one delivery; a transient failure queues the next
attempt with backoff (`run_after`), in the same transaction that records the failure.
`deliveries_recover` runs every minute (settings.PERIODIC_TASKS) and queues again any
delivery whose task died with its worker.
"""

from __future__ import annotations

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from footing.queue import tasks_alive
from notifications import delivery, push


@task
def delivery_send(*, delivery_id: int) -> str:
    now = timezone.now()
    claimed = delivery.claim(delivery_id=delivery_id, now=now)
    if claimed is None:
        return "not pending"  # sent, given up, or claimed by another task
    notice, subscription = claimed.notice, claimed.subscription
    if notice.expires_at <= now:
        delivery.expire(delivery=claimed, now=now)
        return "expired"
    answer = push.send(
        endpoint=subscription.endpoint,
        p256dh=subscription.p256dh,
        auth=subscription.auth,
        message=push.Message(title=notice.title, body=notice.body, url=notice.url, tag=notice.key),
        key=notice.key,
        ttl=notice.expires_at - now,
    )
    with transaction.atomic():
        retry_at = delivery.record(delivery=claimed, answer=answer, now=timezone.now())
        if retry_at is not None:
            queued = delivery_send.using(run_after=retry_at).enqueue(delivery_id=delivery_id)
            delivery.task_assign(delivery_id=delivery_id, task_id=queued.id)
    return "retry" if retry_at else ("sent" if answer.accepted else "finished")


def delivery_enqueue(*, delivery_id: int) -> None:
    """Queue the first (or a recovered) attempt; call inside the transaction that made it."""
    queued = delivery_send.enqueue(delivery_id=delivery_id)
    delivery.task_assign(delivery_id=delivery_id, task_id=queued.id)


@task
def deliveries_recover() -> int:
    """Queue again every delivery that is due, unfinished and has no live task."""
    now = timezone.now()
    candidates = delivery.lost(now=now)
    alive = tasks_alive(task_ids=[d.task_id for d in candidates], now=now)
    recovered = 0
    for lost in candidates:
        if lost.task_id in alive:
            continue
        with transaction.atomic():
            delivery.requeue(delivery=lost, now=now)
            delivery_enqueue(delivery_id=lost.pk)
        recovered += 1
    delivery.notices_prune(now=now)
    return recovered
