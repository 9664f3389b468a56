"""A `django.tasks` backend that runs each task on a thread once the transaction commits.

Django 6 ships two backends: Immediate (runs inside the request, so a slow push service
would hold up the clinician's "Publish") and Dummy (never runs anything). Footing's
background work is small and rare (a push per publish), so a worker process and a queue
table would be more machinery than the job needs. This backend keeps the request fast
and is honest about its limit: a task still running when the process exits is lost.
That is acceptable for a notification, because the phone's next sync brings the new
version anyway; it would not be for anything that must happen exactly once.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import close_old_connections, transaction
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.base import Task, TaskResult, TaskResultStatus
from django.utils.crypto import get_random_string


class ThreadBackend(ImmediateBackend):
    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        self.validate_task(task)
        result = self._new_result(task, args, kwargs)

        def run() -> None:
            try:
                # ImmediateBackend's own runner (signals, status, errors); not in the stubs.
                self._execute_task(result)  # type: ignore[attr-defined]
            finally:
                close_old_connections()

        # After commit: the task reads rows the enqueuing transaction wrote.
        transaction.on_commit(lambda: threading.Thread(target=run, daemon=True).start())
        return result

    def _new_result(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        return TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
