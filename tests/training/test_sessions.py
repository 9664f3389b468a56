from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Profile
from library.models import Routine
from tests.factories import exercise_data, load, routine_data, write_content, write_file
from tests.logins import CSRF, logged_in
from training.models import SessionExercise, SessionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def routine(tmp_path: Path) -> Path:
    """The content folder, loaded."""
    root = write_content(
        tmp_path,
        exercises=[
            exercise_data(),
            exercise_data("stretch", dose={"sets": 2, "hold_seconds": 30}),
        ],
        routines=[routine_data(items=[{"exercise": "calf-raise"}, {"exercise": "stretch"}])],
    )
    load(root)
    return root


def make_user(name: str = "runner"):
    return get_user_model().objects.create_user(name, password="a-long-password-1")


@pytest.fixture
def runner_client(routine: Path) -> Client:
    client = Client()
    client.force_login(make_user())
    return client


def session_body(**overrides: object) -> dict:
    started = timezone.now() - timedelta(minutes=20)
    return {
        "client_id": str(uuid.uuid4()),
        "routine": "heel-routine",
        "version": 1,
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=15)).isoformat(),
        "exercises": [
            {
                "position": 1,
                "exercise": "calf-raise",
                "sets_done": 3,
                "reps": 36,
                "pain": 2,
                "effort": "right",
            },
            {
                "position": 2,
                "exercise": "stretch",
                "sets_done": 0,
                "skipped": True,
                "skip_reason": "no-time",
            },
        ],
    } | overrides


def post(client: Client, body: dict):
    return client.post("/api/v1/sessions", json.dumps(body), content_type="application/json")


def test_a_session_is_recorded_once_and_replays_return_it(runner_client: Client) -> None:
    body = session_body()

    first = post(runner_client, body)
    replay = post(runner_client, body)

    assert first.status_code == 201
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert SessionLog.objects.count() == 1
    assert SessionExercise.objects.count() == 2
    logged = first.json()["exercises"]
    assert (logged[0]["pain"], logged[0]["effort"], logged[1]["skip_reason"]) == (
        2,
        "right",
        "no-time",
    )


def test_a_session_finishes_on_the_version_it_started(runner_client: Client, routine: Path) -> None:
    write_file(routine, "routines", routine_data(items=[{"exercise": "calf-raise", "sets": 4}]))
    load(routine)
    assert Routine.objects.get().current_version.number == 2

    response = post(runner_client, session_body(version=1))

    assert response.status_code == 201
    assert response.json()["version"] == 1
    assert SessionLog.objects.get().routine_version.number == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"exercises": [{"position": 1, "exercise": "calf-raise", "sets_done": 1, "reps": -1}]},
            "exercises.0.reps",
        ),
        (
            {"exercises": [{"position": 1, "exercise": "calf-raise", "sets_done": 1, "pain": 11}]},
            "exercises.0.pain",
        ),
        (
            {"exercises": [{"position": 1, "exercise": "hop", "sets_done": 1}]},
            "exercises.0.exercise",
        ),
        (
            {
                "exercises": [
                    {"position": 1, "exercise": "calf-raise", "sets_done": 0, "skipped": True}
                ]
            },
            "exercises.0.skip_reason",
        ),
        ({"version": 7}, "version"),
        ({"routine": "nope"}, "version"),
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"exercises": []}, "exercises"),
        ({"ended_at": (timezone.now() + timedelta(days=1)).isoformat()}, "ended_at"),
    ],
)
def test_invalid_sessions_are_refused_with_the_field(
    runner_client: Client, change: dict, field: str
) -> None:
    response = post(runner_client, session_body(**change))

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert SessionLog.objects.count() == 0


def test_anonymous_people_cannot_post_or_list(routine: None) -> None:
    client = Client()

    assert post(client, session_body()).status_code == 401
    assert client.get("/api/v1/sessions").status_code == 401


def test_people_only_see_their_own_sessions(runner_client: Client) -> None:
    body = session_body()
    post(runner_client, body)
    other = Client()
    other.force_login(make_user("other"))

    assert other.get("/api/v1/sessions").json()["results"] == []
    assert post(other, body).status_code == 409
    assert [s["client_id"] for s in runner_client.get("/api/v1/sessions").json()["results"]] == [
        body["client_id"]
    ]


def test_writes_need_the_csrf_token(routine: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())

    assert post(client, session_body()).status_code == 403


def test_a_prescribed_number_of_sets_is_what_the_log_counts_against(runner_client: Client) -> None:
    body = session_body()
    body["exercises"][0] |= {"sets_planned": 2, "sets_done": 2}

    response = post(runner_client, body)

    assert response.status_code == 201
    assert response.json()["exercises"][0]["sets_planned"] == 2


@pytest.mark.django_db(transaction=True)  # as in production: no test transaction around it
def test_recording_a_session_reads_nothing_twice(tmp_path: Path) -> None:
    load(
        write_content(
            tmp_path,
            exercises=[
                exercise_data(),
                exercise_data("stretch", dose={"sets": 2, "hold_seconds": 30}),
            ],
            routines=[routine_data(items=[{"exercise": "calf-raise"}, {"exercise": "stretch"}])],
        )
    )
    user = make_user()
    Profile.objects.create(user=user)
    client = logged_in(user)
    body = session_body()

    with CaptureQueriesContext(connection) as first:
        created = client.post(
            "/api/v1/sessions", json.dumps(body), "application/json", headers={"x-csrftoken": CSRF}
        )
    with CaptureQueriesContext(connection) as again:
        replayed = client.post(
            "/api/v1/sessions", json.dumps(body), "application/json", headers={"x-csrftoken": CSRF}
        )

    assert (created.status_code, replayed.status_code) == (201, 200)
    assert created.json() == replayed.json()
    assert [e["exercise"] for e in created.json()["exercises"]] == ["calf-raise", "stretch"]
    # Session, person with profile, "is it a replay?", the version played; the write
    # (BEGIN, the log, its exercises, COMMIT); the exercises as stored. Was 10.
    assert len(first) <= 9, "\n".join(q["sql"] for q in first.captured_queries)
    # Session, person with profile, the log with its routine, its exercises. Was 5.
    assert len(again) <= 4, "\n".join(q["sql"] for q in again.captured_queries)
