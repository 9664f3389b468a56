"""A kept database connection carries nothing from one request to the next.

Requests go through Django's real WSGI handler on this thread, one after another, as a
gunicorn thread serves them: the handler's request_started / request_finished signals run
(the test client switches Django's connection handling off), so the connection is the
one a server thread would keep, and the tests can see it is the same one throughout.
"""

from __future__ import annotations

import io
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone

from footing.db import leaked_transaction
from footing.urls import urlpatterns as app_urls
from journal.models import CheckIn
from tests.factories import exercise_data, load, routine_data, write_content
from tests.journal.conftest import make_runner
from training.models import SessionLog
from training.services import ExerciseResult, session_record

pytestmark = pytest.mark.django_db(transaction=True)

# 05:40 UTC on Monday 30 November 2026: 18:40 that Monday in Auckland (NZDT, +13),
# 21:40 on Sunday the 29th in Los Angeles (PST, -8).
PLAYED_AT = datetime(2026, 11, 30, 5, 40, tzinfo=UTC)


def serve(path: str, cookie: str = "") -> tuple[int, str]:
    """One request through the WSGI handler, its body read and closed as a server does."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "localhost", "wsgi.errors": sys.stderr}
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)
    environ["wsgi.input"] = io.BytesIO(b"")
    statuses: list[str] = []
    result = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        body = b"".join(result).decode()
    finally:
        result.close()  # sends request_finished
    return int(statuses[0].split()[0]), body


def session_cookie(user: User) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


@pytest.fixture
def played(tmp_path: Path) -> None:
    load(write_content(tmp_path, exercises=[exercise_data()], routines=[routine_data()]))


def play(user: User) -> None:
    session_record(
        user=user,
        client_id=uuid.uuid4(),
        routine="heel-routine",
        version=1,
        started_at=PLAYED_AT,
        ended_at=PLAYED_AT + timedelta(minutes=20),
        exercises=[ExerciseResult(position=1, exercise="calf-raise", sets_done=3, reps=36)],
    )


def connection_time_zone() -> str:
    """What the database session itself thinks the zone is (PostgreSQL keeps one)."""
    if connection.vendor != "postgresql":
        return "UTC"  # SQLite has no session zone: Django passes the zone with each query
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('TimeZone')")
        return str(cursor.fetchone()[0])


def test_requests_share_one_kept_connection(played: None) -> None:
    serve("/healthz")
    kept = connection.connection
    assert kept is not None
    for _ in range(3):
        assert serve("/routines/heel-routine/")[0] == 200
        assert serve("/api/v1/routines/heel-routine")[0] == 200
    assert connection.connection is kept


def test_two_zones_alternating_on_one_connection_each_see_their_own(played: None) -> None:
    auckland = make_runner("ana@example.org", time_zone="Pacific/Auckland")
    angeles = make_runner("leo@example.org", time_zone="America/Los_Angeles")
    play(auckland)
    play(angeles)
    cookies = {"auckland": session_cookie(auckland), "angeles": session_cookie(angeles)}
    expected = {"auckland": "Mon 30 Nov, 18:40", "angeles": "Sun 29 Nov, 21:40"}

    serve("/healthz")
    kept = connection.connection
    for who in ["auckland", "angeles", "auckland", "auckland", "angeles", "angeles"] * 2:
        status, body = serve("/history/", cookies[who])
        assert status == 200
        assert expected[who] in body
        other = next(name for name in expected if name != who)
        assert expected[other] not in body
        # Nothing of the request stays behind: not the zone on this thread, not one on
        # the database session, and the connection is still the kept one.
        assert timezone.get_current_timezone_name() == "UTC"
        assert connection_time_zone() == "UTC"
        assert connection.connection is kept
        # Anonymous pages in between are drawn in the server's zone again.
        assert serve("/routines/heel-routine/")[0] == 200


def leave_transaction_open(request: HttpRequest) -> HttpResponse:
    """A view that opens a transaction with raw SQL and never ends it (a bug to survive)."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
    make_runner(f"{uuid.uuid4().hex}@example.org")
    return HttpResponse("left open")


def leave_autocommit_off(request: HttpRequest) -> HttpResponse:
    transaction.set_autocommit(False)
    make_runner(f"{uuid.uuid4().hex}@example.org")
    return HttpResponse("left off")


def count_people(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(User.objects.count()))


urlpatterns = [
    path("test/leave-open/", leave_transaction_open),
    path("test/autocommit-off/", leave_autocommit_off),
    path("test/people/", count_people),
    *app_urls,
]


@pytest.fixture
def leaky_views(settings) -> Iterator[None]:
    settings.ROOT_URLCONF = __name__
    yield


@pytest.mark.parametrize("leak", ["/test/leave-open/", "/test/autocommit-off/"])
def test_a_transaction_left_open_ends_with_its_request(leaky_views: None, leak: str) -> None:
    assert serve("/test/people/") == (200, "0")
    kept = connection.connection

    assert serve(leak)[0] == 200

    # The connection was dropped (rolling the transaction back) before anyone reused it:
    # the next request has a fresh one, outside any transaction, and no half-made row.
    assert connection.connection is None or connection.connection is not kept
    assert serve("/test/people/") == (200, "0")
    assert not leaked_transaction(connection)
    assert connection.get_autocommit()
    # ...and writing works again at once (SQLite's write lock was released too).
    make_runner("after@example.org")
    assert serve("/test/people/") == (200, "1")


def test_a_plain_request_keeps_its_connection_outside_any_transaction(
    leaky_views: None,
) -> None:
    serve("/test/people/")
    kept = connection.connection
    CheckIn.objects.count()
    SessionLog.objects.count()
    serve("/test/people/")
    assert connection.connection is kept
    assert not leaked_transaction(connection)
