"""What Footing needs to know about its task queue (django-tasks-db's table), in one place:
how far behind it is (for /healthz), which tasks are still alive, and failing the tasks
of a worker that died mid-task.

django-tasks-db claims a task by marking it RUNNING; a worker killed with SIGKILL never
finishes it, and the library does not recover such rows (its open issue "Unclean exits
of the worker leave tasks in limbo"). Footing's worker therefore starts by failing the
tasks its previous run left RUNNING (a stable `--worker-id` per worker slot), and the
owners of those tasks (notifications.tasks.deliveries_recover) queue the work again from
their own state, which says whether it was done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

# A task RUNNING longer than this lost its worker: every task Footing runs is a few
# network round trips with a 10-second timeout.
LOST_AFTER = timedelta(minutes=2)


class WorkerLost(Exception):
    """Recorded on a task whose worker died before it finished."""


@dataclass(frozen=True)
class QueueState:
    waiting: int  # due now and not yet picked up
    oldest_waiting_seconds: float | None
    running: int


def queue_state(*, now: datetime) -> QueueState:
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    # An immediate task waits from when it was queued; a deferred one from when it fell due.
    immediate = ready.filter(run_after=get_date_max()).aggregate(
        n=Count("id"), since=Min("enqueued_at")
    )
    deferred = ready.filter(run_after__lte=now).aggregate(n=Count("id"), since=Min("run_after"))
    since = [moment for moment in (immediate["since"], deferred["since"]) if moment is not None]
    return QueueState(
        waiting=immediate["n"] + deferred["n"],
        oldest_waiting_seconds=round((now - min(since)).total_seconds(), 1) if since else None,
        running=DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
    )


def tasks_alive(*, task_ids: list[str], now: datetime) -> set[str]:
    """The ids among `task_ids` that will still run, or are running and not lost."""
    rows = DBTaskResult.objects.filter(id__in=[i for i in task_ids if i]).filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gt=now - LOST_AFTER)
    )
    return {str(pk) for pk in rows.values_list("id", flat=True)}


def tasks_fail_lost(*, worker_id: str, now: datetime) -> int:
    """Fail what a dead worker left RUNNING: everything this worker id was running before
    it (re)started, and anyone's task that has run far longer than any task can."""
    count = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        mine = row.worker_ids[-1:] == [worker_id]
        if mine or (row.started_at is not None and row.started_at < now - LOST_AFTER):
            row.set_failed(WorkerLost(f"worker {row.worker_ids[-1:]} stopped mid-task"))
            count += 1
    return count
