"""SQLite writers of every server process queue on one OS lock (journal/upsert.py).

gunicorn runs several processes; each one's threads queue on a Python lock, and the
processes on a file lock beside the database, so a writer is woken the moment the one
before it is done instead of sleeping in SQLite's busy handler. PostgreSQL needs none.
"""

from __future__ import annotations

import fcntl
import os
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from journal import upsert
from journal.services import Answers, checkin_record
from tests.waiting import poll

pytestmark = pytest.mark.django_db(transaction=True)


def lock_path() -> Path:
    return Path(f"{connection.settings_dict['NAME']}-writers.lock")


def blocked_on(path: Path) -> bool:
    """A process or thread waits for an flock on this file (Linux's /proc/locks: `->`)."""
    inode = os.stat(path).st_ino
    return any(
        line.split()[1] == "->" and line.split()[-3].endswith(f":{inode}")
        for line in Path("/proc/locks").read_text().splitlines()
        if len(line.split()) > 4
    )


def test_a_phones_write_takes_the_database_writers_lock(monkeypatch) -> None:
    if connection.vendor != "sqlite":  # (row locks on PostgreSQL: no queue at all)
        assert upsert._writers_queue(connection).__class__.__name__ == "nullcontext"
        return
    taken = []
    real = fcntl.flock
    monkeypatch.setattr(upsert.fcntl, "flock", lambda fd, op: taken.append(op) or real(fd, op))
    user = User.objects.create_user("queued")
    checkin, created = checkin_record(
        user=user,
        client_id=uuid.uuid4(),
        answers=Answers(date=datetime.now(UTC).date(), first_step_pain=2),
    )
    assert created and checkin.pk
    assert taken == [fcntl.LOCK_EX, fcntl.LOCK_UN]
    assert lock_path().exists()


def test_a_writer_waits_for_another_processes_writer_then_goes() -> None:
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    with upsert._queued(name):  # (opens this process's lock file)
        pass
    # Another process's writer: its own open file, so its lock excludes ours.
    other = os.open(lock_path(), os.O_RDWR)
    order: list[str] = []
    try:
        fcntl.flock(other, fcntl.LOCK_EX)

        def write() -> None:
            with upsert._queued(name):
                order.append("ours wrote")

        ours = threading.Thread(target=write)
        ours.start()
        poll(lambda: blocked_on(lock_path()), "our writer waits for the other process's")
        order.append("theirs done")
        fcntl.flock(other, fcntl.LOCK_UN)
        ours.join()
    finally:
        os.close(other)
    assert order == ["theirs done", "ours wrote"]


def test_a_write_inside_a_transaction_does_not_queue() -> None:
    """Inside one, this thread may hold SQLite's lock already; waiting could stall."""
    with transaction.atomic():
        assert upsert._writers_queue(connection).__class__.__name__ == "nullcontext"
