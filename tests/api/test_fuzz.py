"""Property-based fuzzing of the whole JSON API from its own OpenAPI schema.

Anonymous and logged-in: whatever schemathesis sends, the API never answers 5xx and
every answer matches the schema it publishes. Below it, properties for the times phones
send: any zone or none, any year; stored only in bounds, else a 422 naming the field.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from footing.times import AHEAD, EARLIEST
from journal.models import CheckIn
from library.models import RoutineVersion
from tests.content_snapshot import ContentSnapshot
from tests.matrix import shared_world
from training.models import SessionLog

CSRF = "f" * 32  # any 32-character secret: cookie and header must only agree
# The in-process WSGI client does not undo gzip; ask for plain bodies.
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def _content_world(
    django_db_setup: None, django_db_blocker: Any, content_snapshot: ContentSnapshot
) -> Iterator[None]:
    """The clinic's content once for the module's fuzz tests (a flush and a reload for each
    of them cost more than their 25 examples): each test's own savepoint (`db`) undoes
    whatever its requests wrote, so every test still starts from the same rows."""
    with shared_world(django_db_blocker, content_snapshot.restore):
        yield


@pytest.fixture
def content(_content_world: None, db: None) -> Iterator[None]:
    """Schemathesis calls the WSGI handler itself, not through Django's test client, so
    Django's close_old_connections would close the connection at each request's end (it
    sees autocommit off: the test's transaction). The test client disconnects it around
    its requests for the same reason; here it is disconnected for the test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def logged_in_headers() -> dict[str, str]:
    user, _ = get_user_model().objects.get_or_create(username="fuzz-runner")
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return PLAIN | {
        "Cookie": f"sessionid={session.session_key}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
    }


# Reading the schema touches no database, so it can happen at import.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
# CI runs 25 examples per operation; FUZZ_EXAMPLES=500 digs deeper when hunting.
FUZZ = hypothesis_settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@schema.parametrize()
@FUZZ
def test_anonymous(case: schemathesis.Case, content: None) -> None:
    case.call_and_validate(headers=PLAIN)


@schema.parametrize()
@FUZZ
def test_logged_in(case: schemathesis.Case, content: None) -> None:
    case.call_and_validate(headers=logged_in_headers())


# ---- times: with a zone or without, from year 1 to 9999 ----------------------------------
# Schemathesis writes RFC 3339 times, which always carry a zone and rarely stray far; these
# properties send what phones and scripts really send too: naive times and absurd years.
ANY_TIME = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.none() | st.timezones(),
)


def _in_bounds(moment: datetime) -> bool:
    return moment.tzinfo is not None and EARLIEST <= moment <= timezone.now() + AHEAD


@pytest.fixture
def runner_client(content: None) -> Client:
    client = Client(headers=PLAIN)
    client.force_login(get_user_model().objects.get_or_create(username="time-fuzzer")[0])
    return client


@given(answered_at=ANY_TIME, day=st.dates())
@FUZZ
def test_a_checkin_at_any_time_is_stored_in_bounds_or_refused_by_name(
    runner_client: Client, answered_at: datetime, day: date
) -> None:
    body = {
        "client_id": str(uuid.uuid4()),
        "date": day.isoformat(),
        "first_step_pain": 3,
        "answered_at": answered_at.isoformat(),
    }
    before = CheckIn.objects.count()

    response = runner_client.post("/api/v1/checkins", body, content_type="application/json")

    assert response.status_code < 500
    if response.status_code < 300:
        assert _in_bounds(answered_at)
        assert EARLIEST.date() <= day <= timezone.localdate() + AHEAD
        CheckIn.objects.filter(client_id=body["client_id"]).delete()
    else:
        assert response.status_code == 422, response.content
        assert response.json()["field"] in {"date", "answered_at"}
        assert CheckIn.objects.count() == before


SESSION_LENGTH = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=3))


@given(started_at=ANY_TIME, length=SESSION_LENGTH)
@FUZZ
def test_a_session_at_any_time_is_stored_in_bounds_or_refused_by_name(
    runner_client: Client, started_at: datetime, length: timedelta
) -> None:
    try:
        ended_at = started_at + length
    except OverflowError:
        ended_at = started_at
    slug = "plantar-fasciitis-pain-management"
    version = RoutineVersion.objects.filter(routine__slug=slug).order_by("-number").first()
    assert version is not None
    first = version.snapshot["items"][0]
    body = {
        "client_id": str(uuid.uuid4()),
        "routine": slug,
        "version": version.number,
        "started_at": started_at.isoformat(),
        "ended_at": ended_at.isoformat(),
        "exercises": [
            {"position": first["position"], "exercise": first["exercise"]["slug"], "sets_done": 1}
        ],
    }
    before = SessionLog.objects.count()

    response = runner_client.post("/api/v1/sessions", body, content_type="application/json")

    assert response.status_code < 500
    if response.status_code < 300:
        assert _in_bounds(started_at) and _in_bounds(ended_at)
        SessionLog.objects.filter(client_id=body["client_id"]).delete()
    else:
        assert response.status_code == 422, response.content
        assert response.json()["field"] in {"started_at", "ended_at"}
        assert SessionLog.objects.count() == before
