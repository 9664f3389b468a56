"""Who gets what on every clinic page and API route.

The tables below must name every route the clinic's URL modules and API routers define:
a new route without an entry fails `test_every_route_has_an_entry`, so nobody can add a
clinic route without deciding who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.v1 import api
from tests.clinic.conftest import World
from tests.matrix import LOGIN, api_answer, client_as, page_answer
from tests.notifications.fakes import Browser

ROLES = ("anonymous", "runner", "patient", "other_clinician", "clinician")
STAFF_ONLY = {"anonymous": LOGIN, "runner": 403, "patient": 403}


def own(ok: Any, other: Any = 404) -> dict[str, Any]:
    """A staff page about one clinic's rows: other clinics' staff get "not found"."""
    return STAFF_ONLY | {"other_clinician": other, "clinician": ok}


def every_staff(ok: Any) -> dict[str, Any]:
    return STAFF_ONLY | {"other_clinician": ok, "clinician": ok}


def notes(ok: Any) -> dict[str, Any]:
    """Notes are private to the clinic's staff: everyone else logged in is told "not
    found" (not 403), so not even the route gives a note away."""
    return {"anonymous": LOGIN, "runner": 404, "patient": 404, "other_clinician": 404} | {
        "clinician": ok
    }


# (url name, method) → kwargs maker, body, expected status per role
PAGES: dict[tuple[str, str], tuple[Any, dict[str, Any], dict[str, Any]]] = {
    ("clinic:dashboard", "GET"): (lambda w: {}, {}, every_staff(200)),
    # Each clinician sets their own clinic's phone (the membership decides which).
    ("clinic:phone", "POST"): (lambda w: {}, {"phone": "+44 20 7946 0000"}, every_staff(302)),
    ("clinic:return_to_run", "POST"): (
        lambda w: {"patient_id": w.patient.pk},
        {"cleared": "on", "stage": "walk-jog-1"},
        own(302),
    ),
    ("clinic:patient", "GET"): (lambda w: {"patient_id": w.patient.pk}, {}, own(200)),
    ("clinic:patient_export", "GET"): (lambda w: {"patient_id": w.patient.pk}, {}, own(200)),
    ("clinic:prescription_add", "POST"): (
        lambda w: {"patient_id": w.patient.pk},
        {"routine": "heel-routine", "days_per_week": "2", "confirm": "1"},
        own(409),  # already prescribed: the clinician passes the gate, the rule says no
    ),
    ("clinic:prescription_edit", "POST"): (
        lambda w: {"prescription_id": w.prescription.pk},
        {"days_per_week": "4", "note": ""},
        own(302),
    ),
    ("clinic:prescription_end", "POST"): (
        lambda w: {"prescription_id": w.prescription.pk},
        {},
        own(302),
    ),
    ("clinic:routines", "GET"): (lambda w: {}, {}, every_staff(200)),
    ("clinic:routine_new", "GET"): (lambda w: {}, {}, every_staff(200)),
    ("clinic:routine_new", "POST"): (lambda w: {}, {"title": ""}, every_staff(422)),
    # North's own routine: South's staff are told it does not exist.
    ("clinic:routine_edit", "GET"): (lambda w: {"slug": w.own_routine.slug}, {}, own(200)),
    ("clinic:routine_edit", "POST"): (
        lambda w: {"slug": w.own_routine.slug},
        # No rows at all: the gate lets North's staff through, the rule says no.
        {"op": "add", "expected_version": "1", "draft_revision": "0"},
        own(422),
    ),
    ("clinic:routine_copy", "POST"): (lambda w: {"slug": "heel-routine"}, {}, every_staff(302)),
    ("clinic:routine_publish", "POST"): (
        lambda w: {"slug": w.own_routine.slug},
        {"changelog": "", "expected_version": "1", "draft_revision": "0"},
        own(422),
    ),
    ("clinic:routine_diff", "GET"): (
        lambda w: {"slug": w.own_routine.slug, "old": 1, "new": 1},
        {},
        own(200),
    ),
    ("clinic:invitations", "GET"): (lambda w: {}, {}, every_staff(200)),
    ("clinic:invitations", "POST"): (lambda w: {}, {"label": "", "days": "7"}, every_staff(201)),
    ("clinic:invitation_share", "GET"): (
        lambda w: {"invitation_id": w.invitation.pk},
        {},
        own(200),
    ),
    ("clinic:invitation_revoke", "POST"): (
        lambda w: {"invitation_id": w.invitation.pk},
        {},
        own(302),
    ),
    ("clinic:appointments", "GET"): (lambda w: {}, {}, every_staff(200)),
    ("clinic:appointment_status", "POST"): (
        lambda w: {"request_id": w.appointment.pk},
        {"status": "contacted"},
        own(302),
    ),
    ("clinic:appointment_reply", "POST"): (
        lambda w: {"request_id": w.appointment.pk},
        {"reply": "Tuesday at 10:00 suits us"},
        own(302),
    ),
    ("clinic:red_flags_handled", "POST"): (
        lambda w: {"patient_id": w.patient.pk},
        {"through": "2026-01-01T00:00:00+00:00"},
        own(409),  # nothing is waiting: the clinician passes the gate, the rule says no
    ),
    ("clinic:snooze", "POST"): (
        lambda w: {"patient_id": w.patient.pk},
        {"days": "7", "note": "Away"},
        own(302),
    ),
    ("clinic:snooze_end", "POST"): (lambda w: {"patient_id": w.patient.pk}, {}, own(302)),
    ("clinic:note_add", "POST"): (
        lambda w: {"patient_id": w.patient.pk},
        {"body": "Seen in clinic, left heel"},
        notes(302),
    ),
    # The patient's side: open to everyone logged in; invitation links to everyone.
    ("care:join", "GET"): (
        lambda w: {"code": w.invitation.code},
        {},
        # Someone new gets "Join North Physio" sign-up at the link itself.
        {role: 200 for role in ROLES},
    ),
    ("care:join", "POST"): (
        lambda w: {"code": w.invitation.code},
        {},
        # A runner joins (then sees "You joined"); anyone already in a clinic is refused.
        {"anonymous": 200, "runner": 302, "patient": 410}
        | {"other_clinician": 410, "clinician": 410},
    ),
    ("care:book", "POST"): (
        lambda w: {},
        {"clinic": "north", "reason": "Heel", "preferred_times": "", "contact": "555 0100"},
        # Patients and staff book with their own clinic only; runners choose any.
        {role: 201 for role in ROLES} | {"anonymous": LOGIN, "other_clinician": 422},
    ),
    ("care:book", "GET"): (lambda w: {}, {}, {role: 200 for role in ROLES} | {"anonymous": LOGIN}),
    # "You joined": for a patient; anyone else goes home.
    ("care:joined", "GET"): (
        lambda w: {},
        {},
        {role: 302 for role in ROLES} | {"anonymous": LOGIN, "patient": 200},
    ),
}

STAFF_API = {"anonymous": 401, "runner": 403, "patient": 403}


def own_api(ok: Any, other: Any = 404) -> dict[str, Any]:
    return STAFF_API | {"other_clinician": other, "clinician": ok}


def every_staff_api(ok: Any) -> dict[str, Any]:
    return STAFF_API | {"other_clinician": ok, "clinician": ok}


def notes_api(ok: Any) -> dict[str, Any]:
    return {role: 404 for role in ROLES} | {"anonymous": 401, "clinician": ok}


def own_slug(w: World) -> dict[str, Any]:
    return {"slug": w.own_routine.slug}


API: dict[tuple[str, str], tuple[Any, dict[str, Any] | None, dict[str, Any]]] = {
    ("/api/v1/clinic/patients", "GET"): (
        lambda w: {},
        None,
        STAFF_API | {"other_clinician": 200, "clinician": 200},
    ),
    ("/api/v1/clinic/patients/{patient_id}/notes", "GET"): (
        lambda w: {"patient_id": w.patient.pk},
        None,
        notes_api(200),
    ),
    ("/api/v1/clinic/patients/{patient_id}/notes", "POST"): (
        lambda w: {"patient_id": w.patient.pk},
        {"body": "Seen in clinic, left heel"},
        notes_api(201),
    ),
    ("/api/v1/clinic/routines", "GET"): (lambda w: {}, None, every_staff_api(200)),
    ("/api/v1/clinic/routines", "POST"): (
        lambda w: {},
        {"title": "Mine", "phase": "keep-fit", "conditions": ["heel-pain"], "items": []},
        every_staff_api(422),
    ),
    ("/api/v1/clinic/routines/{slug}", "GET"): (own_slug, None, own_api(200)),
    ("/api/v1/clinic/routines/{slug}/versions", "GET"): (own_slug, None, own_api(200)),
    ("/api/v1/clinic/routines/{slug}/copy", "POST"): (
        lambda w: {"slug": "heel-routine"},
        {},
        every_staff_api(201),
    ),
    ("/api/v1/clinic/routines/{slug}/draft", "PUT"): (
        own_slug,
        {
            "items": [{"exercise": "calf-raise", "sets": 4, "reps": 10}],
            "expected_version": 1,
            "draft_revision": 0,
        },
        own_api(200),
    ),
    ("/api/v1/clinic/routines/{slug}/publish", "POST"): (
        own_slug,
        # A valid request; the draft is still v1, so North's staff are told to change it.
        {"changelog": "Nothing", "expected_version": 1, "draft_revision": 0},
        own_api(422),
    ),
    ("/api/v1/me/routine-updates", "GET"): (
        lambda w: {},
        None,
        {role: 200 for role in ROLES} | {"anonymous": 401},
    ),
    ("/api/v1/me/routine-updates/seen", "POST"): (
        lambda w: {},
        {"routine": "heel-routine", "version": 1},
        {role: 200 for role in ROLES} | {"anonymous": 401},
    ),
    # Every logged-in person may turn notifications on, not only patients.
    ("/api/v1/push/subscriptions", "POST"): (
        lambda w: {},
        {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": Browser().keys},
        {role: 201 for role in ROLES} | {"anonymous": 401},
    ),
    ("/api/v1/push/unsubscribe", "POST"): (
        lambda w: {},
        {"endpoint": "https://fcm.googleapis.com/fcm/send/abc"},
        {role: 200 for role in ROLES} | {"anonymous": 401},
    ),
}


# Where clinic page code lives: the staff pages and the patients' clinic pages (care).
CLINIC_VIEWS = ("clinic", "pwa.views.clinic", "pwa.views.care")


def _clinic_patterns(
    resolver: URLResolver, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern in the whole project whose view is clinic code, wherever it is
    mounted (so a clinic view added to another app's urls is caught too)."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api":
                continue  # the API's routes: api_routes() reads them from the schema
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _clinic_patterns(pattern, inner)
        elif getattr(pattern.callback, "__module__", "").startswith(CLINIC_VIEWS) or str(
            pattern.pattern
        ).startswith("clinic/"):
            yield f"{namespace}{pattern.name}", pattern


def page_routes() -> set[tuple[str, str]]:
    """Every clinic URL name with the methods its view accepts."""
    found = set()
    for name, pattern in _clinic_patterns(get_resolver()):
        for method in ("GET", "POST"):
            if (name, method) in PAGES or _accepts(pattern, method):
                found.add((name, method))
    return found


def _accepts(pattern: URLPattern, method: str) -> bool:
    # require_GET/require_POST/require_http_methods keep the allowed list in a closure.
    view = pattern.callback
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            value = cell.cell_contents
            if (
                isinstance(value, list)
                and value
                and all(isinstance(v, str) and v.isupper() for v in value)
            ):
                return method in value
        view = getattr(view, "__wrapped__", None)
    return True


def api_routes() -> set[tuple[str, str]]:
    """Every operation under /clinic or /push, and every operation api/clinic.py defines
    (ninja names operations after their module), whatever its path."""
    schema = api.get_openapi_schema()
    return {
        (path, method.upper())
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if path.startswith(("/api/v1/clinic", "/api/v1/push"))
        or operation["operationId"].startswith("api_clinic_")
    }


def test_every_route_has_an_entry() -> None:
    assert page_routes() == set(PAGES)
    assert api_routes() == set(API)


def client_for(world: World, role: str) -> Client:
    return client_as(world.user(role))


# The matrix reads and writes inside each test's own savepoint: one world for all of them.
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(PAGES), ids=lambda r: f"{r[1]} {r[0]}")
def test_pages(db: None, matrix_world: World, role: str, route: tuple[str, str]) -> None:
    name, method = route
    kwargs, body, expected = PAGES[route]
    url = reverse(name, kwargs=kwargs(matrix_world))
    assert page_answer(matrix_world.user(role), method, url, body) == expected[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(API), ids=lambda r: f"{r[1]} {r[0]}")
def test_api(db: None, matrix_world: World, role: str, route: tuple[str, str]) -> None:
    path, method = route
    kwargs, body, expected = API[route]
    url = path.format(**kwargs(matrix_world))
    status, content = api_answer(matrix_world.user(role), method, url, body)
    assert status == expected[role], content


def test_other_clinics_staff_never_see_this_clinics_patients(db: None, matrix_world: World) -> None:
    world = matrix_world
    client = client_for(world, "other_clinician")
    assert world.patient.get_username() not in client.get(reverse("clinic:dashboard")).text
    assert client.get("/api/v1/clinic/patients").json()["patients"] == []
    own_client = client_for(world, "clinician")
    names = [row["name"] for row in own_client.get("/api/v1/clinic/patients").json()["patients"]]
    assert names == [world.patient.get_username()]
