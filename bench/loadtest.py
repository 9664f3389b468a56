"""`make loadtest`: concurrent writers against gunicorn, with the server killed mid-run.

N writers (one account each) post check-ins and session logs for SECONDS seconds, the way
the phone's outbox does: every write has its own UUID; an answer other than 2xx (or no
answer) keeps it for a replay; one write in ten is sent twice on purpose. Halfway through,
the server is killed with SIGKILL and started again. Afterwards every writer replays what
it still holds, and the database is checked: every write that was ever acknowledged is
there, every write is there exactly once, nothing else is.

Environment: LOADTEST_WRITERS (default 16), LOADTEST_SECONDS (default 30).
"""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITERS = int(os.environ.get("LOADTEST_WRITERS", "16"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "30"))
CSRF = secrets.token_hex(16)  # 32 characters: cookie and header only have to agree
ROUTINE = "plantar-fasciitis-pain-management"

WORKDIR = Path(tempfile.mkdtemp(prefix="footing-loadtest-"))
ENV = os.environ | {
    "DEBUG": "0",
    "FOOTING_LOCAL": "0",
    "FOOTING_HTTPS": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),  # the same across the restart: sessions survive
    "ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": f"sqlite:///{WORKDIR / 'load.sqlite3'}",
    "DJANGO_SETTINGS_MODULE": "footing.settings",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402

from journal.models import CheckIn  # noqa: E402
from training.models import SessionLog  # noqa: E402

# ---- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "footing.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--no-control-socket",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=ENV,
            start_new_session=True,  # its own process group: kill takes the workers too
        )
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        """A crash, not a shutdown: SIGKILL to the whole group, mid-request."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


# ---- the writers ---------------------------------------------------------------------------


@dataclass
class Writer:
    number: int
    cookie: str
    sent: Counter[str] = field(default_factory=Counter)
    repeats: Counter[str] = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)
    outbox: dict[str, tuple[str, dict[str, object]]] = field(default_factory=dict)
    checkin_ids: set[str] = field(default_factory=set)
    session_ids: set[str] = field(default_factory=set)

    def new_write(self, n: int) -> tuple[str, str, dict[str, object]]:
        client_id = str(uuid.uuid4())
        if n % 2 == 0:
            # One check-in per day: each is for another past day.
            day = date.today() - timedelta(days=1 + n // 2)
            self.checkin_ids.add(client_id)
            body: dict[str, object] = {
                "client_id": client_id,
                "date": day.isoformat(),
                "first_step_pain": n % 11,
            }
            return client_id, "/api/v1/checkins", body
        started = datetime.now(UTC) - timedelta(hours=3, minutes=n)
        self.session_ids.add(client_id)
        body = {
            "client_id": client_id,
            "routine": ROUTINE,
            "version": 1,
            "started_at": started.isoformat(),
            "ended_at": (started + timedelta(minutes=12)).isoformat(),
            "exercises": [
                {
                    "position": 1,
                    "exercise": "plantar-fascia-stretch",
                    "sets_done": 10,
                    "seconds": 100,
                    "pain": 3,
                }
            ],
        }
        return client_id, "/api/v1/sessions", body

    def post(self, base: str, client_id: str, path: str, body: dict[str, object]) -> str:
        request = urllib.request.Request(
            base + path,
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                "Cookie": self.cookie,
                "X-CSRFToken": CSRF,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                outcome = str(response.status)
        except urllib.error.HTTPError as error:
            outcome = str(error.code)
        except OSError:
            outcome = "no answer"
        self.sent[outcome] += 1
        if outcome in {"200", "201"}:
            self.acknowledged.add(client_id)
            self.outbox.pop(client_id, None)
        else:
            self.outbox[client_id] = (path, body)  # kept for a replay, never dropped
            if outcome == "no answer":
                time.sleep(0.2)  # the outbox backs off too
        return outcome

    def run(self, base: str, until: float) -> None:
        rng = random.Random(self.number)
        n = 0
        while time.monotonic() < until:
            client_id, path, body = self.new_write(n)
            n += 1
            self.post(base, client_id, path, body)
            if rng.random() < 0.1:  # a lost answer: the phone sends it again
                self.repeats[self.post(base, client_id, path, body)] += 1

    def replay(self, base: str) -> None:
        for _ in range(20):
            if not self.outbox:
                return
            for client_id, (path, body) in list(self.outbox.items()):
                self.post(base, client_id, path, body)
            time.sleep(0.2)


def log_in(username: str) -> str:
    user = get_user_model().objects.create_user(username, password=secrets.token_urlsafe(16))
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}; csrftoken={CSRF}"


# ---- the run ------------------------------------------------------------------------------------


def main() -> int:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    writers = [Writer(n, log_in(f"writer-{n}")) for n in range(WRITERS)]
    server = Server()
    server.start()
    started = time.monotonic()
    until = started + SECONDS
    threads = [threading.Thread(target=w.run, args=(server.url, until)) for w in writers]
    for thread in threads:
        thread.start()
    time.sleep(SECONDS / 2)
    killed_at = time.monotonic() - started
    server.kill()
    time.sleep(1)
    server.start()
    restarted_after = time.monotonic() - started - killed_at
    for thread in threads:
        thread.join()
    for writer in writers:
        writer.replay(server.url)
    server.stop()

    sent: Counter[str] = Counter()
    repeats: Counter[str] = Counter()
    for writer in writers:
        sent.update(writer.sent)
        repeats.update(writer.repeats)
    problems = []
    rows = {
        "check-ins": set(map(str, CheckIn.objects.values_list("client_id", flat=True))),
        "session logs": set(map(str, SessionLog.objects.values_list("client_id", flat=True))),
    }
    expected = {
        "check-ins": set().union(*(w.checkin_ids for w in writers)),
        "session logs": set().union(*(w.session_ids for w in writers)),
    }
    acknowledged = set().union(*(w.acknowledged for w in writers))
    for kind in rows:
        missing = expected[kind] - rows[kind]
        extra = rows[kind] - expected[kind]
        if missing:
            problems.append(f"{len(missing)} {kind} lost")
        if extra:
            problems.append(f"{len(extra)} unexpected {kind}")
    lost_acks = acknowledged - rows["check-ins"] - rows["session logs"]
    if lost_acks:
        problems.append(f"{len(lost_acks)} acknowledged writes missing")
    still_held = sum(len(w.outbox) for w in writers)
    if still_held:
        problems.append(f"{still_held} writes never accepted")
    if any(code.startswith("5") for code in sent):
        problems.append(f"5xx answers: { {c: n for c, n in sent.items() if c.startswith('5')} }")

    report = {
        "writers": WRITERS,
        "seconds": SECONDS,
        "server_killed_at_s": round(killed_at, 1),
        "back_after_s": round(restarted_after, 1),
        "requests": sum(sent.values()),
        "answers": dict(sorted(sent.items())),
        "answers_to_deliberate_repeats": dict(sorted(repeats.items())),
        "writes": sum(len(e) for e in expected.values()),
        "acknowledged": len(acknowledged),
        "rows": {kind: len(ids) for kind, ids in rows.items()},
        "problems": problems,
    }
    print(json.dumps(report, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
