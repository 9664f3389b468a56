"""Who gets what, on every page and API route of the whole project.

Six people: nobody logged in, a runner (no clinic), a patient, another patient of the same
clinic, a clinician, and a clinician of another clinic. The clinic's own routes are
decided in tests/clinic/test_permissions.py; every other route is decided here, and
`test_every_route_is_decided` fails for a route that neither table names — so no route
ships without someone deciding who may use it.

The patient owns a check-in and a session log; the others must never reach them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from api.v1 import api
from clinic.models import Membership, PatientNote, Role
from journal.models import CheckIn
from selfcheck.selectors import selfcheck_rules
from tests.clinic import test_permissions as clinic_matrix
from tests.clinic.conftest import World, build_world, checkin, load_routine_content, make_user
from tests.matrix import answer, api_answer, client_as, shared_world
from tests.selfcheck.profiles import PROFILES, walk
from training.models import SessionLog
from training.services import ExerciseResult, session_record

ROLES = ("anonymous", "runner", "patient", "other_patient", "clinician", "other_clinician")
LOGIN = clinic_matrix.LOGIN
MEMBERS = ROLES[1:]


@dataclass
class Everyone:
    world: World
    other_patient: User
    checkin: CheckIn
    log: SessionLog

    def user(self, role: str) -> User | None:
        if role == "other_patient":
            return self.other_patient
        return self.world.user(role)


@pytest.fixture(scope="module")
def everyone(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Everyone]:
    """Built once for the module: each test's own savepoint undoes what it did."""
    folder = tmp_path_factory.mktemp("content")
    build = lambda: build_everyone(build_world(load_routine_content(folder)))  # noqa: E731
    with shared_world(django_db_blocker, build) as built:
        yield built


def build_everyone(world: World) -> Everyone:
    other_patient = make_user("other-patient")
    Membership.objects.create(user=other_patient, clinic=world.clinic, role=Role.PATIENT)
    now = timezone.now()
    log, _ = session_record(
        user=world.patient,
        client_id=uuid.uuid4(),
        routine="heel-routine",
        version=1,
        started_at=now - timedelta(minutes=30),
        ended_at=now - timedelta(minutes=10),
        exercises=[ExerciseResult(position=1, exercise="calf-raise", sets_done=3, reps=36, pain=2)],
    )
    return Everyone(
        world=world,
        other_patient=other_patient,
        checkin=checkin(world.patient, timezone.localdate() - timedelta(days=1), 4, numbness=True),
        log=log,
    )


def everybody(status: Any) -> dict[str, Any]:
    return dict.fromkeys(ROLES, status)


def members(status: Any, anonymous: Any = LOGIN) -> dict[str, Any]:
    return dict.fromkeys(MEMBERS, status) | {"anonymous": anonymous}


def owner_only(status: Any, anonymous: Any = 401) -> dict[str, Any]:
    """The patient's own row: everyone else is told it does not exist."""
    return dict.fromkeys(MEMBERS, 404) | {"patient": status, "anonymous": anonymous}


def new_checkin(e: Everyone) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "date": str(timezone.localdate()), "first_step_pain": 3}


def new_session(e: Everyone) -> dict[str, Any]:
    started = timezone.now() - timedelta(minutes=20)
    return {
        "client_id": str(uuid.uuid4()),
        "routine": "heel-routine",
        "version": 1,
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=10)).isoformat(),
        "exercises": [{"position": 1, "exercise": "calf-raise", "sets_done": 3, "reps": 30}],
    }


def kept_selfcheck(e: Everyone) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "answers": walk(selfcheck_rules(), PROFILES[0].symptoms),
        "taken_at": (timezone.now() - timedelta(hours=1)).isoformat(),
    }


def no_args(e: Everyone) -> dict[str, Any]:
    return {}


def routine_slug(e: Everyone) -> dict[str, Any]:
    return {"slug": "heel-routine"}


def patients_day(e: Everyone) -> dict[str, Any]:
    return {"day": e.checkin.date.isoformat()}


# (url name, method): (kwargs, body, expected per role). Bodies may depend on the world.
PAGES: dict[tuple[str, str], tuple[Any, Any, dict[str, Any]]] = {
    ("healthz", "GET"): (no_args, None, everybody(200)),
    ("pwa:home", "GET"): (no_args, None, everybody(200)),
    ("pwa:service_worker", "GET"): (no_args, None, everybody(200)),
    ("pwa:web_manifest", "GET"): (no_args, None, everybody(200)),
    ("pwa:offline", "GET"): (no_args, None, everybody(200)),
    ("pwa:conditions", "GET"): (no_args, None, everybody(200)),
    ("pwa:condition", "GET"): (lambda e: {"slug": "heel-pain"}, None, everybody(200)),
    ("pwa:exercises", "GET"): (no_args, None, everybody(200)),
    ("pwa:exercise", "GET"): (lambda e: {"slug": "calf-raise"}, None, everybody(200)),
    ("pwa:routines", "GET"): (no_args, None, everybody(200)),
    ("pwa:routine", "GET"): (routine_slug, None, everybody(200)),
    ("pwa:player", "GET"): (routine_slug, None, everybody(200)),
    ("pwa:routine_handout", "GET"): (routine_slug, None, everybody(200)),
    ("pwa:history", "GET"): (no_args, None, everybody(200)),
    # "Your routine was updated" for its patient only; nothing new here for anyone.
    ("pwa:routine_updates", "GET"): (no_args, None, everybody(204)),
    ("pwa:selfcheck", "GET"): (no_args, None, everybody(200)),
    ("pwa:selfcheck", "POST"): (no_args, {"a": []}, everybody(200)),
    ("pwa:selfcheck_save", "POST"): (no_args, {"a": []}, members(422)),
    # A shell, the same for everyone; whose morning it is comes from the API (checkin.js).
    ("pwa:checkin", "GET"): (no_args, None, everybody(200)),
    ("pwa:checkin", "POST"): (no_args, {"first_step_pain": "11"}, members(422)),
    # Each person sees their own day's result; nobody else's exists for them.
    ("pwa:checkin_result", "GET"): (patients_day, None, owner_only(200, anonymous=LOGIN)),
    ("pwa:progress", "GET"): (no_args, None, members(200)),
    ("pwa:return_to_running", "GET"): (no_args, None, everybody(200)),
    ("pwa:return_to_running_you", "GET"): (no_args, None, members(200, anonymous=LOGIN)),
    # Nobody is cleared in this world: forward is refused for everyone, with its reason.
    ("pwa:return_to_running_step", "POST"): (
        no_args,
        {"stage": "walk-jog-1"},
        members(422, anonymous=LOGIN),
    ),
    # Logged-in people are sent on to their check-in instead of signing up or in again.
    ("accounts:signup", "GET"): (no_args, None, members(302, anonymous=200)),
    ("accounts:signup", "POST"): (no_args, {"username": ""}, members(302, anonymous=200)),
    ("accounts:login", "GET"): (no_args, None, members(302, anonymous=200)),
    ("accounts:login", "POST"): (
        no_args,
        {"username": "x", "password": "y"},
        members(302, anonymous=200),
    ),
    ("accounts:logout", "GET"): (no_args, None, everybody(405)),  # POST only: no CSRF logout
    ("accounts:logout", "POST"): (no_args, {}, everybody(302)),
    ("accounts:password_reset", "GET"): (no_args, None, everybody(200)),
    ("accounts:password_reset", "POST"): (no_args, {"email": "a@b.example"}, everybody(302)),
    ("accounts:password_reset_done", "GET"): (no_args, None, everybody(200)),
    ("accounts:password_reset_done", "POST"): (no_args, {}, everybody(405)),
    ("accounts:password_reset_confirm", "GET"): (
        lambda e: {"uidb64": "MQ", "token": "set-password"},
        None,
        everybody(200),  # an invalid link says so; it reveals nothing
    ),
    ("accounts:password_reset_confirm", "POST"): (
        lambda e: {"uidb64": "MQ", "token": "set-password"},
        {},
        everybody(200),
    ),
    ("accounts:password_reset_complete", "GET"): (no_args, None, everybody(200)),
    ("accounts:password_reset_complete", "POST"): (no_args, {}, everybody(405)),
    ("accounts:profile", "GET"): (no_args, None, members(200)),
    # Not a form the page sends: a 422 saying which fields are wrong.
    ("accounts:profile", "POST"): (no_args, {"units": "furlongs"}, members(422)),
    # Where sign-up ends: only for the person just signed up (an invalid time saves nothing).
    ("accounts:welcome", "GET"): (no_args, None, members(200)),
    ("accounts:welcome", "POST"): (no_args, {"reminder_time": "25:99"}, members(422)),
    # Each person's own reminder; refused (422) when turned on without a day.
    ("accounts:routine_reminder", "GET"): (no_args, None, members(405)),
    ("accounts:routine_reminder", "POST"): (
        no_args,
        {"routine-on": "on", "routine-time": "18:00"},
        members(422),
    ),
    ("accounts:export_json", "GET"): (no_args, None, members(200)),
    ("accounts:export_csv", "GET"): (no_args, None, members(200)),
    ("accounts:delete", "GET"): (no_args, None, members(200)),
    ("accounts:delete", "POST"): (no_args, {"confirm": ""}, members(200)),
    ("exercise_photo", "GET"): (lambda e: {"name": "missing.webp"}, None, everybody(404)),
}

API: dict[tuple[str, str], tuple[Any, Any, dict[str, Any]]] = {
    ("/api/v1/conditions", "GET"): (no_args, None, everybody(200)),
    ("/api/v1/conditions/{slug}", "GET"): (lambda e: {"slug": "heel-pain"}, None, everybody(200)),
    ("/api/v1/exercises", "GET"): (no_args, None, everybody(200)),
    ("/api/v1/exercises/{slug}", "GET"): (lambda e: {"slug": "calf-raise"}, None, everybody(200)),
    ("/api/v1/routines", "GET"): (no_args, None, everybody(200)),
    ("/api/v1/routines/{slug}", "GET"): (routine_slug, None, everybody(200)),
    ("/api/v1/routines/{slug}/versions/{number}", "GET"): (
        lambda e: {"slug": "heel-routine", "number": 1},
        None,
        everybody(200),
    ),
    ("/api/v1/routines/{slug}/offline-manifest", "GET"): (routine_slug, None, everybody(200)),
    ("/api/v1/sync", "GET"): (no_args, None, everybody(200)),
    ("/api/v1/self-check", "GET"): (no_args, None, everybody(200)),
    ("/api/v1/self-check", "POST"): (no_args, lambda e: {"answers": {}}, everybody(200)),
    # Each person keeps their own (a stranger's result, at sign-up).
    ("/api/v1/self-check/results", "POST"): (
        no_args,
        kept_selfcheck,
        members(201, anonymous=401),
    ),
    ("/api/v1/me", "GET"): (no_args, None, members(200, anonymous=401)),
    ("/api/v1/today", "GET"): (no_args, None, members(200, anonymous=401)),
    ("/api/v1/checkins", "GET"): (no_args, None, members(200, anonymous=401)),
    ("/api/v1/checkins", "POST"): (no_args, new_checkin, members(201, anonymous=401)),
    ("/api/v1/checkins/{checkin_id}", "GET"): (
        lambda e: {"checkin_id": e.checkin.client_id},
        None,
        owner_only(200),
    ),
    ("/api/v1/checkins/{checkin_id}", "PUT"): (
        lambda e: {"checkin_id": e.checkin.client_id},
        lambda e: {"date": str(e.checkin.date), "first_step_pain": 2},
        owner_only(200),
    ),
    ("/api/v1/checkins/{checkin_id}", "DELETE"): (
        lambda e: {"checkin_id": e.checkin.client_id},
        None,
        owner_only(204),
    ),
    ("/api/v1/sessions", "GET"): (no_args, None, members(200, anonymous=401)),
    # Everyone's own doses: the prescribed ones for its patient, the routine's for others.
    ("/api/v1/plans/{slug}", "GET"): (routine_slug, None, members(200, anonymous=401)),
    ("/api/v1/sessions", "POST"): (no_args, new_session, members(201, anonymous=401)),
}

NOT_ROUTES = {"api:openapi-json", "api:openapi-view", "api:api-root"}  # the API's own docs


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: staff-only by Django itself
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        else:
            yield f"{namespace}{pattern.name}", pattern


def all_page_routes() -> set[tuple[str, str]]:
    found = set()
    for name, pattern in _patterns(get_resolver()):
        if name.startswith("api:"):
            continue  # read from the schema below
        for method in ("GET", "POST"):
            if clinic_matrix._accepts(pattern, method):
                found.add((name, method))
    return found


def all_api_routes() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(path, method.upper()) for path, ops in schema["paths"].items() for method in ops}


def test_every_route_is_decided() -> None:
    decided_pages = set(PAGES) | set(clinic_matrix.PAGES)
    assert sorted(all_page_routes() - decided_pages) == []
    assert sorted(all_api_routes() - set(API) - set(clinic_matrix.API)) == []
    assert {name for name, _ in _patterns(get_resolver())} >= NOT_ROUTES


def client_for(everyone: Everyone, role: str) -> Client:
    return client_as(everyone.user(role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(PAGES), ids=lambda r: f"{r[1]} {r[0]}")
def test_pages(db: None, everyone: Everyone, role: str, route: tuple[str, str]) -> None:
    name, method = route
    kwargs, body, expected = PAGES[route]
    url = reverse(name, kwargs=kwargs(everyone))
    client = client_for(everyone, role)
    response = client.get(url) if method == "GET" else client.post(url, body or {})
    assert answer(response) == expected[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(API), ids=lambda r: f"{r[1]} {r[0]}")
def test_api(db: None, everyone: Everyone, role: str, route: tuple[str, str]) -> None:
    path, method = route
    kwargs, body, expected = API[route]
    url = path.format(**kwargs(everyone))
    status, content = api_answer(
        everyone.user(role), method, url, body(everyone) if callable(body) else None
    )
    assert status == expected[role], content


# North's own routine on every public route that serves a routine: its clinic's staff and
# patients get it exactly like a library routine; everyone else is told it does not exist.
NORTH = {"patient": 200, "other_patient": 200, "clinician": 200}
HIDDEN = {"anonymous": 404, "runner": 404, "other_clinician": 404}
CLINIC_ROUTINE: dict[str, tuple[str, dict[str, Any]]] = {
    "page": ("/routines/{slug}/", NORTH | HIDDEN),
    "player": ("/routines/{slug}/play/", NORTH | HIDDEN),
    "handout": ("/routines/{slug}/print/", NORTH | HIDDEN),
    "api": ("/api/v1/routines/{slug}", NORTH | HIDDEN),
    "api version": ("/api/v1/routines/{slug}/versions/1", NORTH | HIDDEN),
    "offline manifest": ("/api/v1/routines/{slug}/offline-manifest", NORTH | HIDDEN),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(CLINIC_ROUTINE))
def test_a_clinics_own_routine_is_that_clinics_alone(
    db: None, everyone: Everyone, role: str, route: str
) -> None:
    path, expected = CLINIC_ROUTINE[route]
    slug = everyone.world.own_routine.slug
    response = client_for(everyone, role).get(path.format(slug=slug))
    assert response.status_code == expected[role]
    if response.status_code == 200:
        # Never kept by a shared cache, nor reused by the browser for another session.
        assert "private" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("role", ROLES)
def test_sessions_and_sync_never_reach_another_clinics_routine(
    db: None, everyone: Everyone, role: str
) -> None:
    slug = everyone.world.own_routine.slug
    client = client_for(everyone, role)
    synced = client.get("/api/v1/sync", {"routine": f"{slug}:1"})
    assert synced.status_code == 200
    assert synced.json()["routines"][0]["available"] is (role in NORTH)
    if role != "anonymous":
        body = new_session(everyone) | {"routine": slug}
        logged = client.post("/api/v1/sessions", json.dumps(body), content_type="application/json")
        assert logged.status_code == (201 if role in NORTH else 422)


@pytest.mark.parametrize("role", MEMBERS)
def test_nobody_reads_anyone_elses_health_data(db: None, everyone: Everyone, role: str) -> None:
    client = client_for(everyone, role)
    mine = role == "patient"
    secret_checkin = str(everyone.checkin.client_id)
    secret_log = str(everyone.log.client_id)

    listed = [c["id"] for c in client.get("/api/v1/checkins").json()["results"]]
    sessions = [s["client_id"] for s in client.get("/api/v1/sessions").json()["results"]]
    export = client.get(reverse("accounts:export_json")).getvalue().decode()
    progress = client.get(reverse("pwa:progress")).content.decode()
    history = client.get(reverse("pwa:history")).content.decode()

    assert (secret_checkin in listed) is mine
    assert (secret_log in sessions) is mine
    assert (secret_checkin in export) is mine
    assert ("numbness" in export.lower()) is mine
    # The patient's page shows their own first-step pain of 4; nobody else has one.
    assert ("Heel routine" in history) is mine
    assert "pat@example.org" not in progress or mine


# Clinician notes are the clinic's own record. Everyone logged in but that clinic's staff —
# the patient the note is about, another patient, a runner, another clinic's staff — gets
# the same "not found" for the notes of a patient with notes as for a patient who does not
# exist: neither a note's existence nor the patient's is given away. Nothing is written.
NOTE_ROUTES: dict[str, tuple[str, str]] = {
    "page, write": ("POST", "/clinic/patients/{id}/notes/"),
    "API, read": ("GET", "/api/v1/clinic/patients/{id}/notes"),
    "API, write": ("POST", "/api/v1/clinic/patients/{id}/notes"),
}
NOBODY = 2_000_000_000  # a patient id no one has


@pytest.mark.parametrize("role", ("runner", "patient", "other_patient", "other_clinician"))
@pytest.mark.parametrize("route", sorted(NOTE_ROUTES))
def test_notes_are_not_found_by_anyone_but_the_clinics_staff(
    db: None, everyone: Everyone, role: str, route: str
) -> None:
    world = everyone.world
    PatientNote.objects.create(
        clinic=world.clinic,
        patient=world.patient,
        author=world.clinician,
        body="Private: suspect navicular",
        created_at=timezone.now(),
    )
    method, path = NOTE_ROUTES[route]
    client = client_for(everyone, role)

    def ask(patient_id: int) -> Any:
        url = path.format(id=patient_id)
        if method == "GET":
            return client.get(url)
        if url.startswith("/api/"):
            body = json.dumps({"body": "mine"})
            return client.post(url, body, content_type="application/json")
        return client.post(url, {"body": "mine"})

    real, nobody = ask(world.patient.pk), ask(NOBODY)
    assert real.status_code == nobody.status_code == 404
    assert real.content == nobody.content
    assert b"navicular" not in real.content
    assert list(PatientNote.objects.values_list("body", flat=True)) == [
        "Private: suspect navicular"
    ]


def test_the_clinics_staff_read_and_write_notes_through_the_api(
    db: None, everyone: Everyone
) -> None:
    world = everyone.world
    client = client_for(everyone, "clinician")
    url = f"/api/v1/clinic/patients/{world.patient.pk}/notes"
    written = client.post(url, json.dumps({"body": "  Seen, left heel  "}), "application/json")
    assert written.status_code == 201
    assert written.json()["body"] == "Seen, left heel"
    refused = client.post(url, json.dumps({"body": " "}), "application/json")
    assert refused.status_code == 422 and refused.json()["field"] == "body"
    assert [n["body"] for n in client.get(url).json()] == ["Seen, left heel"]
    assert client.get(f"/api/v1/clinic/patients/{NOBODY}/notes").status_code == 404
