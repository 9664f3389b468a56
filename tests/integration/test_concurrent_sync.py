"""Many phones replaying the same outbox at once leave exactly the right rows.

A real threaded HTTP server (the live server) and 16 client threads, each sending the
same 7 check-ins and 7 session logs 10 times in its own random order: 2,240 posts. On
PostgreSQL the server's threads write through separate connections, so the upserts
really race; on SQLite they queue behind the write lock.
"""

from __future__ import annotations

import json
import random
import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from journal.models import CheckIn
from tests.content_snapshot import ContentSnapshot
from training.models import SessionExercise, SessionLog

THREADS, ROUNDS = 16, 10
CSRF = "c" * 32
ROUTINE = "plantar-fasciitis-pain-management"


def session_cookie(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def outbox() -> list[tuple[str, dict]]:
    today = timezone.localdate()
    started = timezone.now() - timedelta(hours=2)
    checkins = [
        (
            "/api/v1/checkins",
            {
                "client_id": str(uuid.uuid4()),
                "date": str(today - timedelta(days=day)),
                "first_step_pain": day % 11,
            },
        )
        for day in range(7)
    ]
    sessions = [
        (
            "/api/v1/sessions",
            {
                "client_id": str(uuid.uuid4()),
                "routine": ROUTINE,
                "version": 1,
                "started_at": (started + timedelta(minutes=10 * n)).isoformat(),
                "ended_at": (started + timedelta(minutes=10 * n + 8)).isoformat(),
                "exercises": [
                    {
                        "position": 1,
                        "exercise": "plantar-fascia-stretch",
                        "sets_done": 10,
                        "seconds": 100,
                        "pain": 2,
                    },
                    {
                        "position": 2,
                        "exercise": "towel-calf-stretch",
                        "sets_done": 0,
                        "skipped": True,
                        "skip_reason": "no-time",
                    },
                ],
            },
        )
        for n in range(7)
    ]
    return checkins + sessions


@pytest.mark.django_db(transaction=True)
def test_sixteen_phones_replaying_one_outbox(
    live_server, content_snapshot: ContentSnapshot
) -> None:
    content_snapshot.restore()
    user = get_user_model().objects.create_user("replayer", password="a-long-password-1")
    cookie = f"sessionid={session_cookie(user)}; csrftoken={CSRF}"
    items = outbox()
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def phone(seed: int) -> None:
        order = items * ROUNDS
        random.Random(seed).shuffle(order)
        for url, body in order:
            request = urllib.request.Request(
                live_server.url + url,
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json", "Cookie": cookie, "X-CSRFToken": CSRF},
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(statuses.values()) == THREADS * ROUNDS * len(items)
    assert set(statuses) <= {200, 201}, statuses
    assert statuses[201] == len(items)  # each item created once, every other post a replay
    expected_checkins = {body["client_id"] for url, body in items if url.endswith("checkins")}
    assert set(map(str, CheckIn.objects.values_list("client_id", flat=True))) == expected_checkins
    expected_logs = {body["client_id"] for url, body in items if url.endswith("sessions")}
    assert set(map(str, SessionLog.objects.values_list("client_id", flat=True))) == expected_logs
    assert SessionExercise.objects.count() == 2 * len(expected_logs)
