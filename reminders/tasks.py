"""The reminders' periodic task: enqueued every minute by the worker (settings.PERIODIC_TASKS)."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from reminders.services import reminders_send_due


@task
def reminders_tick() -> int:
    return len(reminders_send_due(now=timezone.now()))
