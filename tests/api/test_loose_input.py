"""Every write route refuses loose types and impossible times, names the field, stores nothing.

The fields come from the API's own OpenAPI schema, so a new whole number, yes/no answer,
date or time in any body is tried here without anyone listing it: `true` for a score,
"7" for 7, a time with no zone, year 1, year 9999, next week. Each must be a 422 whose
`field` is that field, with no row written anywhere. A write route without a valid body
below fails `test_every_write_route_is_tried`, so no route ships untried.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from api.v1 import api
from clinic.models import PatientNote
from journal.models import CheckIn
from library.models import Routine, RoutineItem, RoutineVersion
from notifications.models import PushSubscription
from selfcheck.models import SelfCheckResult
from selfcheck.selectors import selfcheck_rules
from tests.clinic.conftest import World, checkin
from tests.notifications.fakes import Browser
from tests.selfcheck.profiles import PROFILES, walk
from training.models import SessionLog

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]


@dataclass(frozen=True)
class Write:
    role: str  # who sends it: "runner", "patient" or "clinician" of the clinic world
    path: Callable[[World], dict[str, Any]]
    body: Callable[[World], dict[str, Any]]


def _now_iso(minutes_ago: int = 0) -> str:
    return (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()


def _session(world: World) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "routine": "heel-routine",
        "version": 1,
        "started_at": _now_iso(30),
        "ended_at": _now_iso(10),
        "exercises": [
            {
                "position": 1,
                "exercise": "calf-raise",
                "sets_done": 3,
                "sets_planned": 3,
                "reps": 30,
                "seconds": 120,
                "skipped": False,
                "pain": 2,
            }
        ],
    }


def _checkin(world: World) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "date": str(timezone.localdate()),
        "first_step_pain": 3,
        "stiffness_minutes": 10,
        "activity": "run",
        "pain_during": 2,
        "pain_after": 2,
        "answered_at": _now_iso(5),
    }


def _checkin_edit(world: World) -> dict[str, Any]:
    body = _checkin(world)
    del body["client_id"]
    return body


def _yesterdays(world: World) -> dict[str, Any]:
    day = timezone.localdate() - timedelta(days=1)
    return {"checkin_id": checkin(world.runner, day, 4).client_id}


def _items() -> list[dict[str, Any]]:
    return [{"exercise": "calf-raise", "sets": 3, "reps": 10, "rest_seconds": 60}]


def _publish(world: World) -> dict[str, Any]:
    return {
        "changelog": "Harder",
        "expected_version": 1,
        "draft_revision": 0,
        "items": _items(),
    }


def _draft(world: World) -> dict[str, Any]:
    return {"expected_version": 1, "draft_revision": 0, "items": _items()}


def _routine_new(world: World) -> dict[str, Any]:
    return {
        "title": "Calf work",
        "phase": "local-stabilization",
        "conditions": ["heel-pain"],
        "items": _items(),
    }


def _own(world: World) -> dict[str, Any]:
    return {"slug": world.own_routine.slug}


def _subscription(world: World) -> dict[str, Any]:
    return {"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": Browser().keys}


def _selfcheck_kept(world: World) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "answers": walk(selfcheck_rules(), PROFILES[0].symptoms),
        "taken_at": _now_iso(60),
    }


def _none(world: World) -> dict[str, Any]:
    return {}


WRITES: dict[tuple[str, str], Write] = {
    ("/api/v1/checkins", "POST"): Write("runner", _none, _checkin),
    ("/api/v1/checkins/{checkin_id}", "PUT"): Write("runner", _yesterdays, _checkin_edit),
    ("/api/v1/sessions", "POST"): Write("runner", _none, _session),
    ("/api/v1/self-check", "POST"): Write("runner", _none, lambda w: {"answers": {}}),
    ("/api/v1/self-check/results", "POST"): Write("runner", _none, _selfcheck_kept),
    ("/api/v1/clinic/routines", "POST"): Write("clinician", _none, _routine_new),
    ("/api/v1/clinic/routines/{slug}/draft", "PUT"): Write("clinician", _own, _draft),
    ("/api/v1/clinic/routines/{slug}/publish", "POST"): Write("clinician", _own, _publish),
    ("/api/v1/me/routine-updates/seen", "POST"): Write(
        "patient", _none, lambda w: {"routine": w.own_routine.slug, "version": 1}
    ),
    ("/api/v1/push/subscriptions", "POST"): Write("runner", _none, _subscription),
    ("/api/v1/push/unsubscribe", "POST"): Write("runner", _none, lambda w: {"endpoint": "x" * 8}),
    ("/api/v1/clinic/patients/{patient_id}/notes", "POST"): Write(
        "clinician", lambda w: {"patient_id": w.patient.pk}, lambda w: {"body": "Rang; better."}
    ),
}


def _write_routes() -> set[tuple[str, str]]:
    return {
        (path, method.upper())
        for path, operations in SCHEMA["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }


def test_every_write_route_is_tried() -> None:
    assert sorted(_write_routes() - set(WRITES)) == []


# ---- the fields a body schema holds, by kind -------------------------------------------
def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kinds(schema: dict[str, Any]) -> set[str]:
    """ "integer", "boolean", "date-time", "date", "object", "array" (nullable unwrapped)."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        return set().union(*(_kinds(option) for option in schema["anyOf"])) - {"null"}
    kind = schema.get("type", "")
    if kind == "string" and schema.get("format") in {"date-time", "date"}:
        return {schema["format"]}
    return {kind}


def _leaves(schema: dict[str, Any], path: tuple[str | int, ...] = ()) -> Iterator[Any]:
    """(path, kind) of every integer, boolean, date and time field, arrays at index 0."""
    schema = _resolve(schema)
    for option in schema.get("anyOf", []):
        yield from _leaves(option, path)
    for name, field in schema.get("properties", {}).items():
        kinds = _kinds(field)
        for kind in kinds & {"integer", "boolean", "date-time", "date"}:
            yield (*path, name), kind
        if "object" in kinds:
            yield from _leaves(field, (*path, name))
        if "array" in kinds:
            items = next(
                (
                    _resolve(o)["items"]
                    for o in [_resolve(field), *field.get("anyOf", [])]
                    if "items" in _resolve(o)
                ),
                None,
            )
            if items is not None:
                yield from _leaves(items, (*path, name, 0))


def _body_schema(path: str, method: str) -> dict[str, Any]:
    operation = SCHEMA["paths"][path][method.lower()]
    return operation["requestBody"]["content"]["application/json"]["schema"]


def loose_values(kind: str) -> list[Any]:
    now = timezone.now()
    if kind == "integer":
        return [True, "7", 7.5]
    if kind == "boolean":
        return ["true", 1, "yes"]
    if kind == "date-time":
        return [
            now.replace(tzinfo=None).isoformat(),  # no zone
            "0001-01-01T00:00:00Z",
            "1999-12-31T23:59:59Z",
            "9999-12-31T23:59:59Z",
            (now + timedelta(days=2)).isoformat(),
            int(now.timestamp()),  # seconds, not a time written out
            True,
        ]
    assert kind == "date"
    return ["0001-01-01", "1999-12-31", "9999-12-31", str(now.date() + timedelta(days=3)), 20261201]


def _set(body: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    target: Any = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return changed


def cases() -> Iterator[Any]:
    for route in sorted(WRITES):
        for field, kind in sorted(set(_leaves(_body_schema(*route))), key=str):
            name = ".".join(str(part) for part in field)
            yield pytest.param(route, field, kind, id=f"{route[1]} {route[0]} {name}")


def _rows() -> tuple[int, ...]:
    return (
        CheckIn.objects.count(),
        SessionLog.objects.count(),
        RoutineVersion.objects.count(),
        Routine.objects.count(),
        RoutineItem.objects.count(),
        PushSubscription.objects.count(),
        SelfCheckResult.objects.count(),
        PatientNote.objects.count(),
    )


def _url(world: World, route: tuple[str, str]) -> str:
    """The route's address (some make the row they write to, so ask before counting)."""
    return route[0].format(**WRITES[route].path(world))


def _send(world: World, route: tuple[str, str], url: str, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(getattr(world, WRITES[route].role))
    return client.generic(route[1], url, json.dumps(body), content_type="application/json")


def test_the_loose_cases_cover_every_kind_of_field() -> None:
    """The walk above finds the fields it must (a broken walk would try nothing)."""
    found = {
        (route, ".".join(map(str, field)))
        for route in WRITES
        for field, _ in _leaves(_body_schema(*route))
    }
    for expected in [
        (("/api/v1/checkins", "POST"), "first_step_pain"),
        (("/api/v1/checkins", "POST"), "answered_at"),
        (("/api/v1/checkins", "POST"), "date"),
        (("/api/v1/checkins/{checkin_id}", "PUT"), "pain_after"),
        (("/api/v1/sessions", "POST"), "started_at"),
        (("/api/v1/sessions", "POST"), "exercises.0.pain"),
        (("/api/v1/sessions", "POST"), "exercises.0.skipped"),
        (("/api/v1/clinic/routines/{slug}/publish", "POST"), "items.0.sets"),
        (("/api/v1/clinic/routines/{slug}/publish", "POST"), "expected_version"),
    ]:
        assert expected in found


@pytest.mark.parametrize("route", sorted(WRITES), ids=lambda r: f"{r[1]} {r[0]}")
def test_the_valid_body_is_accepted(world: World, route: tuple[str, str]) -> None:
    """The bodies the loose cases start from are good ones, so a 422 below is the field's."""
    response = _send(world, route, _url(world, route), WRITES[route].body(world))
    assert response.status_code < 300, response.content


@pytest.mark.parametrize(("route", "field", "kind"), list(cases()))
def test_a_loose_or_impossible_value_is_refused_by_name(
    world: World, route: tuple[str, str], field: tuple[str | int, ...], kind: str
) -> None:
    url = _url(world, route)
    before = _rows()
    for value in loose_values(kind):
        response = _send(world, route, url, _set(WRITES[route].body(world), field, value))

        assert response.status_code == 422, (value, response.content)
        assert response.json()["field"] == ".".join(str(part) for part in field), value
        # The detail is a sentence for the person; the page names the field beside it.
        detail = response.json()["detail"]
        assert detail and not detail.startswith(("Value error", f"{response.json()['field']}:"))
        assert _rows() == before, value
