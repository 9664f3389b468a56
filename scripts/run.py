"""`make run`'s supervisor: the web server and the task worker, started and stopped together.

    python scripts/run.py --host 127.0.0.1 --port 8000

Prints what it started, passes the environment (DATABASE_URL, FOOTING_*, ...) to both,
and on Ctrl+C or SIGTERM stops both: SIGTERM first (gunicorn finishes its requests, the
worker its current task), SIGKILL after a grace period. If the worker dies it is started
again (after a pause); if the web server dies, everything stops with its exit code.
One worker is enough for SQLite; on PostgreSQL run more with `manage.py worker` (README).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GRACE_SECONDS = 20
RESTART_PAUSE_SECONDS = 2


def web(host: str, port: str) -> list[str]:
    return [
        str(Path(PYTHON).with_name("gunicorn")),
        "footing.wsgi",
        "--bind",
        f"{host}:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--no-control-socket",
        "--access-logfile",
        "-",
        "--log-level",
        "warning",
    ]


def worker() -> list[str]:
    # A stable id per worker slot: a restarted worker fails what its last run left
    # RUNNING, so that work is queued again (footing/queue.py).
    worker_id = f"{socket.gethostname()[:40]}-1"
    return [PYTHON, "manage.py", "worker", "--worker-id", worker_id, "--no-startup-delay"]


def start(name: str, command: list[str]) -> subprocess.Popen[bytes]:
    # Its own session: Ctrl+C reaches only this supervisor, which stops each child once
    # (a second signal would make the worker abandon its task mid-way).
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    print(f"  {name}: pid {process.pid}", flush=True)
    return process


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args = parser.parse_args()

    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    print(
        f"\n  Footing is running at http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True
    )
    server = start("web server (gunicorn)", web(args.host, args.port))
    tasks = start("task worker", worker())
    print("", flush=True)
    code = 0
    while not stopping:
        if server.poll() is not None:
            code = server.returncode or 1
            print(f"  the web server stopped ({server.returncode}); stopping", flush=True)
            break
        if tasks.poll() is not None:
            print(f"  the task worker stopped ({tasks.returncode}); starting it again", flush=True)
            time.sleep(RESTART_PAUSE_SECONDS)
            tasks = start("task worker", worker())
        time.sleep(0.2)
    stop([server, tasks])
    print("  stopped the web server and the task worker", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
