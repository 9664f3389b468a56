"""What a browser may keep, decided for every route (footing/storable.py).

Every page and API route is named below as one of:
- "everyone": the same bytes for every person, logged in or not: `public`, kept by the
  service worker; proven here by rendering it for an anonymous visitor, a runner, a
  patient with check-ins, red flags and a prescription, and two clinicians;
- "anonymous": the same for every visitor who is not logged in, private when logged in;
- "private": `private, no-store` for everyone, never kept.
`test_every_route_is_decided` fails for a route this table does not name, as the
authorization matrix does, so no route ships without a decision.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from footing.storable import PERSON_FREE, PERSON_FREE_WHEN_ANONYMOUS
from tests.clinic import test_permissions as clinic_matrix
from tests.test_authorization import (  # noqa: F401 (the everyone fixture)
    API,
    PAGES,
    ROLES,
    Everyone,
    all_api_routes,
    all_page_routes,
    client_for,
    everyone,
)

EVERYONE, ANONYMOUS, PRIVATE = "everyone", "anonymous", "private"

PAGE_DECISIONS = {
    "healthz": PRIVATE,
    "exercise_photo": EVERYONE,
    "pwa:home": ANONYMOUS,
    "pwa:service_worker": EVERYONE,
    "pwa:web_manifest": EVERYONE,
    "pwa:offline": EVERYONE,
    "pwa:selfcheck": PRIVATE,  # its form carries a CSRF token and sets the cookie
    "pwa:selfcheck_save": PRIVATE,
    "pwa:conditions": EVERYONE,
    "pwa:condition": EVERYONE,
    "pwa:exercises": EVERYONE,
    "pwa:exercise": EVERYONE,
    "pwa:routines": EVERYONE,
    "pwa:routine": EVERYONE,
    "pwa:player": EVERYONE,
    "pwa:routine_handout": PRIVATE,  # a patient's handout carries their doses and clinic
    "pwa:routine_updates": PRIVATE,  # "your routine was updated": one person's notices
    "pwa:history": ANONYMOUS,
    "pwa:checkin": EVERYONE,
    "pwa:checkin_result": PRIVATE,
    "pwa:progress": PRIVATE,
    "pwa:return_to_running": EVERYONE,
    "pwa:return_to_running_you": PRIVATE,
    "pwa:return_to_running_step": PRIVATE,
    "care:join": PRIVATE,
    "care:book": PRIVATE,
    **dict.fromkeys(
        [
            "accounts:signup",
            "accounts:login",
            "accounts:logout",
            "accounts:password_reset",
            "accounts:password_reset_done",
            "accounts:password_reset_confirm",
            "accounts:password_reset_complete",
            "accounts:profile",
            "accounts:welcome",
            "accounts:routine_reminder",  # a patient's "Today: <routine>" time (a POST)
            "accounts:export_json",
            "accounts:export_csv",
            "accounts:delete",
        ],
        PRIVATE,
    ),
    # Every staff page is the clinic's patients' data.
    **{name: PRIVATE for name, _ in clinic_matrix.PAGES},
}

API_DECISIONS = {
    "/api/v1/conditions": EVERYONE,
    "/api/v1/conditions/{slug}": EVERYONE,
    "/api/v1/exercises": EVERYONE,
    "/api/v1/exercises/{slug}": EVERYONE,
    "/api/v1/routines": EVERYONE,
    "/api/v1/routines/{slug}": EVERYONE,
    "/api/v1/routines/{slug}/versions/{number}": EVERYONE,
    "/api/v1/routines/{slug}/offline-manifest": EVERYONE,
    "/api/v1/sync": PRIVATE,  # lists a patient's prescribed routines
    "/api/v1/self-check": EVERYONE,  # the questions (its POST, like every write, is private)
    "/api/v1/self-check/results": PRIVATE,  # a result kept from the phone at sign-up (a POST)
    "/api/v1/plans/{slug}": PRIVATE,
    "/api/v1/me": PRIVATE,
    "/api/v1/today": PRIVATE,  # this morning's warning signs, for the red-flag stop
    "/api/v1/checkins": PRIVATE,
    "/api/v1/checkins/{checkin_id}": PRIVATE,
    "/api/v1/sessions": PRIVATE,
    **{path: PRIVATE for path, _ in clinic_matrix.API},
}


def test_every_route_is_decided() -> None:
    pages = {name for name, _ in all_page_routes()}
    apis = {path for path, _ in all_api_routes()}
    assert sorted(pages - set(PAGE_DECISIONS)) == []
    assert sorted(apis - set(API_DECISIONS)) == []


def _view_name(path: str) -> str:
    concrete = re.sub(r"\{[^}]+\}", "x", path).replace("/versions/x", "/versions/1")
    return resolve(concrete).view_name


def test_the_middleware_lists_are_the_decisions() -> None:
    decided = dict(PAGE_DECISIONS) | {_view_name(p): d for p, d in API_DECISIONS.items()}
    assert {n for n, d in decided.items() if d == EVERYONE} == PERSON_FREE
    assert {n for n, d in decided.items() if d == ANONYMOUS} == PERSON_FREE_WHEN_ANONYMOUS


def _gets() -> list[tuple[str, str, str]]:
    """(kind, route, decision) of every GET the authorization tables know how to call."""
    pages = [("page", name, PAGE_DECISIONS[name]) for name, method in PAGES if method == "GET"]
    pages += [("page", name, PRIVATE) for name, method in clinic_matrix.PAGES if method == "GET"]
    apis = [("api", path, API_DECISIONS[path]) for path, method in API if method == "GET"]
    apis += [("api", path, PRIVATE) for path, method in clinic_matrix.API if method == "GET"]
    return sorted(pages + apis)


def _get(everyone: Everyone, role: str, kind: str, route: str) -> Any:  # noqa: F811
    client = client_for(everyone, role)
    if kind == "page":
        table = PAGES if (route, "GET") in PAGES else clinic_matrix.PAGES
        kwargs = table[(route, "GET")][0]
        return client.get(reverse(route, kwargs=kwargs(_clinic_world(everyone, table))))
    table = API if (route, "GET") in API else clinic_matrix.API
    kwargs = table[(route, "GET")][0]
    return client.get(route.format(**kwargs(_clinic_world(everyone, table))))


def _clinic_world(everyone: Everyone, table: dict) -> Any:  # noqa: F811
    return (
        everyone.world if table is clinic_matrix.PAGES or table is clinic_matrix.API else everyone
    )


def _cache_control(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_each_answer_is_marked_as_decided(db: None, everyone: Everyone) -> None:  # noqa: F811
    """Every GET the authorization tables can make: not logged in, a runner, a patient and a
    clinician (the other patient and clinic only repeat them; the bytes test has them)."""
    wrong = []
    for kind, route, decision in _gets():
        for role in ("anonymous", "runner", "patient", "clinician"):
            response = _get(everyone, role, kind, route)
            marks = _cache_control(response)
            keepable = decision == EVERYONE or (decision == ANONYMOUS and role == "anonymous")
            if keepable and not response.cookies:
                ok = "public" in marks and not marks & {"private", "no-store"}
            else:
                ok = marks == {"private", "no-store"}
            if not ok:
                wrong.append((route, role, decision, sorted(marks)))
    assert wrong == []


def test_a_person_free_route_answers_the_same_bytes_to_everyone(
    db: None,
    everyone: Everyone,  # noqa: F811
) -> None:
    """Rendered for an anonymous visitor, a runner, two patients (one with check-ins, red
    flags, a session and a prescription) and two clinicians: not one byte may differ."""
    differ = []
    for kind, route, decision in _gets():
        if decision != EVERYONE:
            continue
        answers = {}
        for role in ROLES:
            response = _get(everyone, role, kind, route)
            body = response.getvalue() if response.streaming else response.content
            answers[role] = (response.status_code, body)
        differ += [(route, role) for role in ROLES if answers[role] != answers["anonymous"]]
    assert differ == []


@pytest.mark.parametrize("role", ROLES[1:])
def test_writes_are_never_kept(db: None, everyone: Everyone, role: str) -> None:  # noqa: F811
    client = client_for(everyone, role)
    response = client.post(reverse("pwa:selfcheck"), {"a": []})
    assert _cache_control(response) == {"private", "no-store"}
    response = client.post("/api/v1/self-check", {"answers": {}}, content_type="application/json")
    assert _cache_control(response) == {"private", "no-store"}


def test_a_view_that_narrows_its_answer_keeps_private(db: None, everyone: Everyone) -> None:  # noqa: F811
    """A clinic's own routine comes on the library's routes as `private, no-cache` (only
    that clinic's people may have it): the middleware keeps the view's word."""
    from django.http import HttpRequest, HttpResponse

    from footing.storable import StorableMiddleware

    def clinic_routine(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("a clinic's routine")
        response["Cache-Control"] = "private, no-cache"
        return response

    request = HttpRequest()
    request.method = "GET"
    request.resolver_match = resolve(reverse("pwa:routine", kwargs={"slug": "heel-routine"}))
    response = StorableMiddleware(clinic_routine)(request)
    assert _cache_control(response) == {"private", "no-cache"}


def test_an_answer_that_sets_a_cookie_is_never_kept(db: None, everyone: Everyone) -> None:  # noqa: F811
    """The first page after logging in sets the owner cookie: not a page to share."""
    client = Client()
    client.force_login(everyone.world.patient)
    first = client.get(reverse("pwa:conditions"))
    assert first.cookies and _cache_control(first) == {"private", "no-store"}
    again = client.get(reverse("pwa:conditions"))
    assert not again.cookies and "public" in _cache_control(again)
