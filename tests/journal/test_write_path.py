"""The check-in write: four queries a request, and exactly the old guarantees.

The one-statement upsert (journal.upsert) takes the common cases; the careful
path (look, then insert or update) takes the rest. The property below replays random
sequences of check-ins through both and through the careful path alone, and asserts the
same answers and the same rows: idempotent by client id and by day, an older answer never
overwrites a newer one, a client id moving onto a taken day is a conflict.
"""

from __future__ import annotations

import json
import uuid
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from footing.errors import Conflict
from journal import services
from journal.models import CheckIn
from tests.journal.conftest import make_runner
from tests.logins import CSRF, logged_in

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
TODAY = NOW.date()


def post(client: Client, body: dict):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/api/v1/checkins",
            json.dumps(body),
            content_type="application/json",
            headers={"x-csrftoken": CSRF},
        )
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db(transaction=True)  # as in production: no test transaction around it
def test_a_check_in_post_is_four_queries_first_time_and_on_replay() -> None:
    runner = make_runner()
    client = logged_in(runner)
    body = {"client_id": str(uuid.uuid4()), "date": str(timezone.localdate()), "first_step_pain": 4}

    created, first = post(client, body)
    replayed, again = post(client, body)
    edited, edit = post(client, body | {"first_step_pain": 6})

    assert (created.status_code, replayed.status_code, edited.status_code) == (201, 200, 200)
    assert edited.json()["first_step_pain"] == 6
    assert edited.json()["assessment"]["advice"]["level"]
    for sql in (first, again, edit):
        # The session; the person with their profile; the upsert; the trend for the advice.
        assert len(sql) <= 4, "\n".join(sql)
        assert sum("INSERT INTO" in q for q in sql) == 1
        assert not any(q.startswith(("BEGIN", "SAVEPOINT")) for q in sql)
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_session_from_before_the_profile_backend_still_works() -> None:
    runner = make_runner()
    client = logged_in(runner, backend="django.contrib.auth.backends.ModelBackend")
    body = {"client_id": str(uuid.uuid4()), "date": str(timezone.localdate()), "first_step_pain": 2}

    response, sql = post(client, body)

    assert response.status_code == 201
    assert len(sql) <= 5  # one more: that backend reads the profile on its own


@pytest.mark.django_db
def test_wrong_passwords_are_hashed_once_not_once_per_backend(client: Client) -> None:
    make_runner("ann@example.org")
    hasher = type(get_hasher())  # the suite's fast one; production's Argon2 alike
    with mock.patch.object(hasher, "verify", return_value=False) as verify:
        response = client.post(
            "/accounts/login/", {"username": "ann@example.org", "password": "not-hers"}
        )
    assert response.status_code == 200  # the form again, saying the password is wrong
    assert verify.call_count == 1


# ---- the property: the one-statement path keeps every guarantee of the careful one ----
CLIENT_IDS = [uuid.UUID(int=n) for n in range(1, 4)]
DAYS = [TODAY - timedelta(days=n) for n in range(3)]

writes = st.lists(
    st.tuples(
        st.sampled_from(CLIENT_IDS),
        st.sampled_from(DAYS),
        st.integers(0, 10),
        st.integers(0, 5),  # minutes before NOW the runner answered
    ),
    min_size=1,
    max_size=8,
)


def replay(user, sequence) -> tuple[list[object], set[tuple[object, ...]]]:
    answers_seen: list[object] = []
    for client_id, day, pain, minutes in sequence:
        answers = services.Answers(
            date=day, first_step_pain=pain, answered_at=NOW - timedelta(minutes=minutes)
        )
        try:
            checkin, created = services.checkin_record(
                user=user, client_id=client_id, answers=answers, now=NOW
            )
            answers_seen.append((created, checkin.client_id, checkin.date, checkin.first_step_pain))
        except Conflict as error:
            answers_seen.append(("conflict", error.field))
    rows = set(
        CheckIn.objects.filter(user=user).values_list(
            "client_id", "date", "first_step_pain", "answered_at"
        )
    )
    return answers_seen, rows


@pytest.mark.django_db
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sequence=writes)
def test_the_upsert_answers_as_the_careful_path_does(sequence) -> None:
    fast, careful = (
        Profile.objects.create(user=User.objects.create(username=uuid.uuid4().hex)).user
        for _ in range(2)
    )

    seen_fast, rows_fast = replay(fast, sequence)
    with mock.patch.object(services, "checkin_upsert", return_value=None):
        seen_careful, rows_careful = replay(careful, sequence)

    assert seen_fast == seen_careful
    assert rows_fast == rows_careful
    # And the guarantees themselves: one row per day, one per client id.
    assert len({row[1] for row in rows_fast}) == len(rows_fast)
    assert len({row[0] for row in rows_fast}) == len(rows_fast)


@pytest.mark.django_db
@pytest.mark.parametrize("upsert", [True, False], ids=["one statement", "careful path"])
def test_updated_at_moves_only_when_the_answers_change(upsert: bool) -> None:
    """The clinic reads updated_at as "when these answers reached the server": a replay
    of the same answers must keep it (a red flag marked handled stays handled), a changed
    answer must move it (the flag waits again)."""
    user = make_runner()
    client_id = uuid.uuid4()

    def send(pain: int, at: datetime) -> CheckIn:
        answers = services.Answers(
            date=TODAY, first_step_pain=pain, flags=frozenset({"numbness"}), answered_at=NOW
        )
        careful = mock.patch.object(services, "checkin_upsert", return_value=None)
        with nullcontext() if upsert else careful:
            services.checkin_record(user=user, client_id=client_id, answers=answers, now=at)
        return CheckIn.objects.get(user=user)

    first = send(5, NOW)
    replayed = send(5, NOW + timedelta(hours=1))
    changed = send(6, NOW + timedelta(hours=2))
    assert replayed.updated_at == first.updated_at
    assert changed.updated_at > first.updated_at
    assert changed.first_step_pain == 6
