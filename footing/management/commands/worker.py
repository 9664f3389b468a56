"""`manage.py worker`: django-tasks-db's `db_worker`, plus what Footing adds around it.

- Before taking new work it fails the tasks its previous run left RUNNING (a worker
  killed mid-task), so their owners can queue them again (footing/queue.py says why).
  Give each worker slot a stable `--worker-id` (make run uses `<host>-1`); the default
  is unique per process and so recovers only through the 2-minute lease.
- It enqueues settings.PERIODIC_TASKS every minute (footing/worker.py).

Every other option is db_worker's (`--queue-name`, `--interval`, `--batch`, ...).
"""

from __future__ import annotations

import os
import socket
from typing import Any

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from footing.queue import tasks_fail_lost
from footing.worker import Ticker


class Command(DBWorkerCommand):
    help = "Run the background task worker (and enqueue the periodic tasks every minute)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}", reload=False)
        parser.add_argument(
            "--no-periodic",
            action="store_false",
            dest="periodic",
            help="Don't enqueue the periodic tasks (another worker does).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        periodic = options.pop("periodic", True)
        failed = tasks_fail_lost(worker_id=options["worker_id"], now=timezone.now())
        if failed:
            self.stdout.write(f"Failed {failed} task(s) left running by a stopped worker.")
        ticker = Ticker()
        if periodic and not options.get("batch"):
            ticker.start()
        try:
            super().handle(*args, **options)
        finally:
            ticker.stop()
