"""POST /api/v1/checkins runs through api.body_run, and answers exactly as ninja's own run.

For any body a phone or an attacker may send (a whole morning, half of one, wrong types,
unknown keys, NUL characters, JSON that is not an object, bytes that are not JSON, an
empty body), from a logged-in runner, a visitor, or without the CSRF token, the short
run gives the same status, the same bytes and the same content type as ninja's
`Operation.run`, over the same database state (each request is rolled back). And the
schema it validates with is the one OpenAPI documents for the route.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
from django.db import transaction
from django.http.response import HttpResponseBase
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ninja import Router
from ninja.decorators import decorate_view
from ninja.errors import ConfigError
from ninja.operation import Operation

from api.body_run import body_run, body_schema
from api.journal import CheckInIn
from api.v1 import api
from tests.api.test_in_schema import bodies, json_values
from tests.journal.conftest import make_runner

URL = "/api/v1/checkins"
NOW = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)


def bound_operation(path: str, method: str) -> Operation:
    """The operation the URL dispatches to (ninja's bound copy, not the router's template)."""
    for bound in api._get_bound_routers():
        view = bound.path_operations.get(path)
        for operation in view.operations if view else []:
            if method in operation.methods:
                return operation
    raise LookupError(path)


CREATE = bound_operation("/checkins", "POST")


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both runs see the same server time (a body without answered_at gets "now")."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def clients(db: None, fixed_now: None) -> dict[str, Client]:
    member = Client(enforce_csrf_checks=True)
    member.force_login(make_runner())
    member.get("/accounts/account/")  # (the CSRF cookie)
    token = member.cookies["csrftoken"].value
    no_token = Client(enforce_csrf_checks=True)
    no_token.force_login(make_runner("other@example.org"))
    return {
        "member": member,
        "member-token": token,  # type: ignore[dict-item]
        "no-token": no_token,
        "visitor": Client(enforce_csrf_checks=True),
    }


def answer(client: Client, body: bytes, token: str, *, ninjas: bool) -> tuple[Any, ...]:
    """One POST, rolled back afterwards; through ninja's own run when `ninjas`."""
    run = CREATE.run
    if ninjas:
        CREATE.run = partial(Operation.run, CREATE)  # type: ignore[method-assign]
    try:
        with transaction.atomic():
            response = client.post(
                URL, body, content_type="application/json", headers={"X-CSRFToken": token}
            )
            transaction.set_rollback(True)
    finally:
        CREATE.run = run  # type: ignore[method-assign]
    return response.status_code, response["Content-Type"], response.content


@st.composite
def raw_bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from([b"", b"{", b"not json", b"\xff\xfe", b"null", b"[]", b"7"]))
    if kind == 1:
        return json.dumps(draw(json_values)).encode()
    body = draw(bodies(CheckInIn))
    if kind < 6:  # mostly mornings that may be stored
        body |= {
            "client_id": str(uuid.uuid4()),
            "date": NOW.date().isoformat(),
            "first_step_pain": draw(st.integers(0, 10)),
        }
    return json.dumps(body).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=raw_bodies(), who=st.sampled_from(["member", "member", "no-token", "visitor"]))
def test_every_body_is_answered_as_ninjas_own_run_answers_it(
    clients: dict[str, Any], body: bytes, who: str
) -> None:
    token = clients["member-token"]
    ours = answer(clients[who], body, token, ninjas=False)
    assert ours == answer(clients[who], body, token, ninjas=True)


def test_a_morning_is_read_without_ninjas_second_reading(
    clients: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The short run is the one used: a good body never reaches ninja's own reading, a bad
    one does (for ninja's own 422), and both are answered."""
    readings: list[int] = []
    own = CREATE._get_values

    def counted(*args: Any) -> Any:
        readings.append(1)
        return own(*args)

    monkeypatch.setattr(CREATE, "_get_values", counted)
    morning = {"client_id": str(uuid.uuid4()), "date": NOW.date().isoformat(), "first_step_pain": 4}
    token = clients["member-token"]
    good = json.dumps(morning).encode()
    status, _, content = answer(clients["member"], good, token, ninjas=False)
    assert status == 201 and json.loads(content)["id"] == morning["client_id"]
    assert readings == []
    wrong = json.dumps(morning | {"first_step_pain": 11}).encode()
    status, _, content = answer(clients["member"], wrong, token, ninjas=False)
    assert status == 422 and json.loads(content)["field"] == "first_step_pain"
    assert readings == [1]


def test_the_schema_it_validates_with_is_the_one_openapi_documents() -> None:
    name, schema = body_schema(CREATE)
    assert (name, schema) == ("payload", CheckInIn)
    post = api.get_openapi_schema()["paths"]["/api/v1/checkins"]["post"]
    documented = post["requestBody"]["content"]["application/json"]["schema"]
    assert documented == {"$ref": "#/components/schemas/CheckInIn"}
    assert {"200", "201", "401", "403", "422"} <= {str(code) for code in post["responses"]}


def test_an_operation_it_cannot_run_is_refused_when_the_api_is_built() -> None:
    router = Router()
    with pytest.raises(ConfigError, match="one JSON body"):

        @router.get("/things/{thing}")
        @decorate_view(body_run)
        def thing(request: Any, thing: int) -> HttpResponseBase:
            raise AssertionError


@pytest.fixture(autouse=True)
def _operation_left_as_found() -> Iterator[None]:
    run = CREATE.run
    yield
    assert CREATE.run is run
