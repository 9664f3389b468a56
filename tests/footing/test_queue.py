"""The task queue as /healthz and the worker see it (footing/queue.py, footing/worker.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from footing.queue import LOST_AFTER, queue_state, tasks_alive, tasks_fail_lost
from footing.worker import next_minute, tick
from notifications.tasks import deliveries_recover
from reminders.tasks import reminders_tick

pytestmark = pytest.mark.django_db


def test_healthz_reports_how_long_the_oldest_task_has_waited(client: Client) -> None:
    assert client.get("/healthz").json()["queue"] == {
        "waiting": 0,
        "oldest_waiting_seconds": None,
        "running": 0,
    }
    queued = reminders_tick.enqueue()
    DBTaskResult.objects.filter(pk=queued.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=3)
    )
    # Deferred to the future: not waiting yet.
    reminders_tick.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()

    queue = client.get("/healthz").json()["queue"]

    assert queue["waiting"] == 1
    assert 180 <= queue["oldest_waiting_seconds"] < 200


def test_a_deferred_task_waits_from_when_it_fell_due() -> None:
    now = timezone.now()
    reminders_tick.using(run_after=now - timedelta(seconds=30)).enqueue()

    state = queue_state(now=now)

    assert state.waiting == 1 and 29 <= state.oldest_waiting_seconds <= 31


def test_a_restarted_worker_fails_what_it_left_running() -> None:
    mine, theirs, stale = (reminders_tick.enqueue() for _ in range(3))
    now = timezone.now()
    DBTaskResult.objects.filter(pk=mine.id).update(
        status="RUNNING", started_at=now, worker_ids=["host-1"]
    )
    DBTaskResult.objects.filter(pk=theirs.id).update(
        status="RUNNING", started_at=now, worker_ids=["host-2"]
    )
    DBTaskResult.objects.filter(pk=stale.id).update(
        status="RUNNING", started_at=now - LOST_AFTER - timedelta(seconds=1), worker_ids=["gone"]
    )

    assert tasks_alive(task_ids=[mine.id, theirs.id, stale.id], now=now) == {mine.id, theirs.id}
    assert tasks_fail_lost(worker_id="host-1", now=now) == 2

    status = dict(DBTaskResult.objects.values_list("id", "status"))
    assert {str(k): v for k, v in status.items()} == {
        mine.id: "FAILED",
        theirs.id: "RUNNING",  # another worker's, still within its lease
        stale.id: "FAILED",
    }
    failed = DBTaskResult.objects.get(pk=mine.id)
    assert failed.exception_class_path == "footing.queue.WorkerLost"


def test_each_tick_queues_the_periodic_tasks_once() -> None:
    assert sorted(tick(now=timezone.now())) == sorted(
        [reminders_tick.module_path, deliveries_recover.module_path]
    )
    assert tick(now=timezone.now()) == []  # still waiting: not queued twice
    assert DBTaskResult.objects.count() == 2


def test_ticks_fall_on_the_minute() -> None:
    now = timezone.now().replace(second=42, microsecond=7)
    assert next_minute(now) == now.replace(second=0, microsecond=0) + timedelta(minutes=1)
