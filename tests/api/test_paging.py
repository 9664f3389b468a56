"""Paging back through check-ins and sessions: every row exactly once, while rows arrive.

A phone pages through its history while its outbox (or another phone) keeps adding rows:
today's, and old ones that were saved offline. Whatever arrives in between, a row that was
there when paging began is seen exactly once, nothing is seen twice, and the pages run
newest first.
"""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from journal.models import CheckIn
from library.models import RoutineVersion
from tests.factories import load, write_content
from training.models import SessionLog

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 6, 1)
STARTED = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)


def runner_client() -> tuple[User, Client]:
    user = User.objects.create(username=uuid.uuid4().hex)
    Profile.objects.create(user=user)
    client = Client()
    client.force_login(user)
    return user, client


def add_checkin(user: User, day: int) -> str:
    client_id = uuid.uuid4()
    CheckIn.objects.create(
        user=user,
        client_id=client_id,
        date=FIRST_DAY + timedelta(days=day),
        first_step_pain=day % 11,
        answered_at=timezone.now(),
    )
    return str(client_id)


def add_session(user: User, minute: int) -> str:
    client_id = uuid.uuid4()
    started = STARTED + timedelta(minutes=minute)
    SessionLog.objects.create(
        user=user,
        client_id=client_id,
        routine_version=RoutineVersion.objects.get(),
        started_at=started,
        ended_at=started + timedelta(minutes=20),
    )
    return str(client_id)


def page_through(client: Client, url: str, arrivals, add) -> list[dict]:
    """Follow `next` to the end; before each page, what arrives meanwhile is added."""
    rows: list[dict] = []
    pages = 0
    while url:
        for value in arrivals[pages] if pages < len(arrivals) else []:
            add(value)
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url = body["next"]
        pages += 1
        assert pages < 200, "paging did not end"
    return rows


days = st.integers(0, 80)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    initial=st.sets(days, max_size=25),
    page_size=st.integers(1, 7),
    arrivals=st.lists(st.sets(days, max_size=3), max_size=8),
)
def test_check_ins_page_back_exactly_once(initial, page_size, arrivals) -> None:
    user, client = runner_client()
    there = {add_checkin(user, day) for day in initial}
    taken = set(initial)

    def arrive(day: int) -> None:
        if day not in taken:  # one check-in per day
            taken.add(day)
            add_checkin(user, day)

    rows = page_through(client, f"/api/v1/checkins?page_size={page_size}", arrivals, arrive)

    seen = [row["id"] for row in rows]
    assert len(seen) == len(set(seen)), "a row came twice"
    assert there <= set(seen), "a row was skipped"
    dates = [row["date"] for row in rows]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == len(dates)


@pytest.fixture
def routine(tmp_path: Path) -> None:
    load(write_content(tmp_path))


# Few distinct minutes, so sessions often share a start time (two phones, one moment).
minutes = st.integers(0, 12)


# The routine is loaded once for all examples (each example makes its own runner).
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    initial=st.lists(minutes, max_size=25),
    page_size=st.integers(1, 7),
    arrivals=st.lists(st.lists(minutes, max_size=3), max_size=8),
)
def test_sessions_page_back_exactly_once_even_when_starts_tie(
    routine: None, initial, page_size, arrivals
) -> None:
    user, client = runner_client()
    there = {add_session(user, minute) for minute in initial}

    rows = page_through(
        client,
        f"/api/v1/sessions?page_size={page_size}",
        arrivals,
        lambda minute: add_session(user, minute),
    )

    seen = [row["client_id"] for row in rows]
    assert len(seen) == len(set(seen)), "a session came twice"
    assert there <= set(seen), "a session was skipped"
    starts = [row["started_at"] for row in rows]
    assert starts == sorted(starts, reverse=True)


def test_the_first_page_says_where_the_next_one_is(routine: None) -> None:
    user, client = runner_client()
    for day in range(60):
        add_checkin(user, day)

    first = client.get("/api/v1/checkins").json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 50  # the default page
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/checkins?cursor=")
    assert len(second["results"]) == 10 and second["next"] is None
    assert second["previous"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64!",
        base64.b64encode(b"p=not-a-day").decode(),
        base64.b64encode(b"o=99999999999").decode(),
        base64.b64encode(b"r=perhaps").decode(),
        "x" * 201,
    ],
)
def test_a_cursor_this_api_did_not_make_is_a_422_naming_it(cursor: str) -> None:
    _user, client = runner_client()

    response = client.get("/api/v1/checkins", {"cursor": cursor})

    assert response.status_code == 422
    assert response.json()["field"] == "cursor"


@pytest.mark.parametrize("size", ["0", "101", "-3", "many"])
def test_page_sizes_outside_1_to_100_are_a_422(size: str) -> None:
    _user, client = runner_client()

    response = client.get("/api/v1/sessions", {"page_size": size})

    assert response.status_code == 422
    assert response.json()["field"] == "page_size"


def test_pages_are_documented_in_the_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in (("/api/v1/checkins", "CheckInOut"), ("/api/v1/sessions", "SessionOut")):
        operation = schema["paths"][path]["get"]
        assert {p["name"] for p in operation["parameters"]} == {"cursor", "page_size"}
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        page = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert set(page["properties"]) == {"results", "next", "previous"}
        assert "next" in page["properties"]["next"]["description"]
        assert page["properties"]["results"]["items"]["$ref"].endswith(item)
