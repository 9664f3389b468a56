"""`make run` starts the web server and the task worker, honours PORT and DATABASE_URL,
and Ctrl+C stops both.

It runs in a copy of this checkout: `make run` rebuilds the icons and static files in its
own folder, which under pytest-xdist would rewrite the files another worker's live server
is serving at that moment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

from django.conf import settings

from tests.waiting import poll


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(check, *, seconds: float, what: str):
    """Poll until `check` gives something (tests.waiting.poll), and return it."""
    found = []
    poll(lambda: found.append(check()) or found[-1], what, timeout=seconds)
    return found[-1]


def checkout_copy(into: Path) -> Path:
    """This checkout as `git clone` plus `make run` would leave it: every file git knows
    or would add (as it is on disk, times kept so make finds the venv up to date), the
    drawn illustrations (minutes to redraw), and the same virtualenv (a link)."""
    here = Path(settings.BASE_DIR)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=here,
        capture_output=True,
        check=True,
    ).stdout.decode()
    copy = into / "checkout"
    for name in filter(None, listed.split("\0")):
        source = here / name
        if source.is_file():  # a tracked file deleted in the working tree is skipped
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name, follow_symlinks=False)
    shutil.copytree(
        here / "build",
        copy / "build",
        ignore=shutil.ignore_patterns(
            "screenshots", ".static-build.lock", "test-databases", "test-logs"
        ),
    )
    (copy / ".venv").symlink_to(here / ".venv")
    return copy


def test_make_run_starts_and_stops_the_web_server_and_the_worker(tmp_path: Path) -> None:
    port, database = free_port(), tmp_path / "footing.sqlite3"
    checkout = checkout_copy(tmp_path)
    test_only = ("DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(test_only)}
    env |= {"PORT": str(port), "DATABASE_URL": f"sqlite:///{database}"}
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=checkout,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:

        def healthy() -> dict | None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    return json.loads(r.read())
            except OSError:
                assert make.poll() is None, log.read_text()
                return None

        health = wait_until(healthy, seconds=480, what="/healthz on PORT")
        assert health["status"] == "ok" and "queue" in health
        printed = log.read_text()
        assert f"http://127.0.0.1:{port}/" in printed
        web_pid = int(re.search(r"web server \(gunicorn\): pid (\d+)", printed).group(1))
        worker_pid = int(re.search(r"task worker: pid (\d+)", printed).group(1))
        assert alive(web_pid) and alive(worker_pid)

        # The worker really works: its first minute tick has run in DATABASE_URL's database.
        def ticked() -> bool:
            with sqlite3.connect(database) as db:
                done = db.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path = 'reminders.tasks.reminders_tick' AND status = 'SUCCESSFUL'"
                ).fetchone()[0]
            return done > 0

        wait_until(ticked, seconds=120, what="the worker's first periodic task")

        os.killpg(make.pid, signal.SIGINT)  # what Ctrl+C in the terminal does
        make.wait(timeout=90)
        wait_until(
            lambda: not alive(web_pid) and not alive(worker_pid),
            seconds=30,
            what="both processes to stop",
        )
        assert "stopped the web server and the task worker" in log.read_text()
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
