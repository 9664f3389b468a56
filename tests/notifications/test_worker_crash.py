"""The real worker process, killed with SIGKILL in the middle of a batch and started
again: every notice reaches its browser, and none is shown twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus, Kind
from notifications.services import Announcement, notices_send
from tests.notifications.conftest import subscribe
from tests.notifications.fakes import FakePushService
from tests.waiting import poll

PEOPLE = 8


def database_url_of_this_run() -> str:
    """This test run's own database (SQLite file or PostgreSQL test database), as a URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def start_worker(tmp_path, name: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env |= {
        "DATABASE_URL": database_url_of_this_run(),
        "FOOTING_LOCAL": "1",
        "VAPID_PRIVATE_KEY": settings.VAPID_PRIVATE_KEY,
        "VAPID_SUBJECT": settings.VAPID_SUBJECT,
    }
    with (tmp_path / f"{name}.log").open("wb") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.notifications.worker_process",
                "--worker-id",
                "box-1",
                "--interval",
                "0.1",
                "--no-startup-delay",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_then_restarted_delivers_everything_once(
    push_service: FakePushService, tmp_path
) -> None:
    names = [f"phone-{n}" for n in range(PEOPLE)]
    browsers = {}
    for name in names:
        _, browsers[name] = subscribe(User.objects.create_user(name), push_service, name)
    notices_send(
        announcements=[
            Announcement(
                user_id=user_id,
                kind=Kind.ROUTINE_UPDATED,
                key="routine-1-v2",
                title="Your routine was updated",
                body="Heel routine v2: slower heel drops",
                url="/routines/heel-routine/",
                ttl=timedelta(hours=24),
            )
            for user_id in User.objects.values_list("pk", flat=True)
        ],
        now=timezone.now(),
    )
    # The fifth push service takes its time: the worker is killed while it waits.
    slow = push_service.hold(names[4])

    first = start_worker(tmp_path, "first")
    try:
        push_service.wait_for(5, timeout=120)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    slow.set()
    assert len(push_service.received) == 5
    assert Delivery.objects.filter(status=DeliveryStatus.SENDING).count() == 1  # mid-send

    second = start_worker(tmp_path, "second")
    try:
        poll(
            lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == PEOPLE,
            "every delivery is sent",
            timeout=120,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)

    for name in names:
        shown = push_service.shown(name)
        assert len(shown) == 1, f"{name} saw {len(shown)} notifications"
        (message,) = shown.values()
        assert browsers[name].decrypt(message.body)["title"] == "Your routine was updated"
    # Only the push that was in flight when the worker died was made twice, with the same
    # Topic, so the push service kept one.
    assert len(push_service.received) == PEOPLE + 1
    assert len(push_service.to(names[4])) == 2
