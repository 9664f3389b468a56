"""The periodic side of `manage.py worker`: every minute, on the minute, enqueue each of
settings.PERIODIC_TASKS (reminders due now, lost deliveries to recover) for the worker
to run like any other task.

A thread in the worker rather than cron or a third process: the worker is already the
one thing that must be running for background work to happen, and `make run` starts it.
With several workers each enqueues the ticks; the periodic tasks are idempotent (a
reminder is a notice with a unique key per person and day), so a second tick in the
same minute finds nothing left to do. A tick still waiting from the last minute (a busy
worker) is not queued again.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def periodic_tasks() -> list[Task[..., object]]:
    return [import_string(path) for path in settings.PERIODIC_TASKS]


def tick(*, now: datetime) -> list[str]:
    """Enqueue every periodic task that is not already waiting; returns their paths."""
    queued = []
    for periodic in periodic_tasks():
        waiting = DBTaskResult.objects.filter(
            task_path=periodic.module_path, status=TaskResultStatus.READY
        )
        if not waiting.exists():
            periodic.enqueue()
            queued.append(periodic.module_path)
    return queued


def next_minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


class Ticker(threading.Thread):
    """Calls `tick` now and then at the start of every minute until stopped."""

    def __init__(self) -> None:
        super().__init__(name="footing-ticker", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                tick(now=timezone.now())
            except Exception:  # a database hiccup: log it, try again next minute
                logger.exception("periodic tick failed")
            finally:
                close_old_connections()
            now = timezone.now()
            self.stopped.wait((next_minute(now) - now).total_seconds())

    def stop(self) -> None:
        self.stopped.set()
