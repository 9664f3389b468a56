"""Fixtures for push tests: a VAPID key, the local fake push service, and running the
task worker in this process until the queue is empty."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from notifications import transport, vapid
from notifications.models import PushSubscription
from tests.notifications.fakes import LOOPBACK, Browser, FakePushService


@pytest.fixture
def vapid_key(settings) -> str:
    private, _ = vapid.keys_generate()
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_SUBJECT = "mailto:physio@north.example"
    return private


@pytest.fixture
def push_service(monkeypatch: pytest.MonkeyPatch, vapid_key: str) -> Iterator[FakePushService]:
    """The fake service, and a network policy that lets the server reach it (loopback)."""
    monkeypatch.setattr(transport, "NETWORK", LOOPBACK)
    service = FakePushService()
    yield service
    service.close()


def run_worker(*, later: bool = False) -> None:
    """Run every task that is due (with `later`, also those deferred to the future, as if
    the clock had moved past their backoff), until none is left."""
    if later:
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    # The worker closes "old" connections between tasks, which inside a test's
    # transaction would close the test's own connection.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


@pytest.fixture
def worker() -> Callable[..., None]:
    return run_worker


def subscribe(user: User, service: FakePushService, name: str, browser: Browser | None = None):
    """A subscription on the fake service, stored directly: the API refuses its loopback
    http endpoint, as it should."""
    browser = browser or Browser()
    return PushSubscription.objects.create(
        user=user, endpoint=service.endpoint(name), **browser.keys
    ), browser
