"""Hostile or broken query strings and paths: a clear 4xx or a normal page, never a 5xx,
and never the input echoed back unescaped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client

from tests.content_snapshot import ContentSnapshot
from tests.matrix import shared_world

pytestmark = pytest.mark.django_db

NASTY = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "9" * 400,
    "-1",
    "1e309",
    "ünïcødé ✓ 🦶",
    "%00",
    "a" * 5000,
    "../../etc/passwd",
    "null",
]
PAGES = [
    "/exercises/?goal={}",
    "/progress/?days={}",
    "/self-check/?a={}",
    "/routines/?condition={}",
    "/api/v1/exercises?goal={}",
    "/api/v1/exercises?condition={}",
    "/api/v1/routines?condition={}",
    "/api/v1/sync?routine={}",
    "/api/v1/routines/{}",
    "/api/v1/checkins/{}",
    "/conditions/{}/",
    "/checkin/{}/",
]


@pytest.fixture(scope="module")
def tester(
    django_db_setup: None, django_db_blocker: Any, content_snapshot: ContentSnapshot
) -> Iterator[User]:
    """The clinic's content and one member, once for the module's 150 requests: each
    test's own savepoint undoes whatever its request wrote."""

    def build() -> User:
        content_snapshot.restore()
        return get_user_model().objects.create_user("tester", password="a-long-pass-1")

    with shared_world(django_db_blocker, build) as user:
        yield user


@pytest.fixture
def member(tester: User) -> Client:
    client = Client()
    client.force_login(tester)
    return client


@pytest.mark.parametrize("value", NASTY, ids=range(len(NASTY)))
@pytest.mark.parametrize("template", PAGES)
def test_bad_input_is_refused_cleanly(member: Client, template: str, value: str) -> None:
    response = member.get(template.format(value))

    assert response.status_code < 500, (template, value)
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize(
    "url", ["/api/v1/exercises?goal=a%00b", "/api/v1/sync?routine=%00", "/api/v1/routines/a%00"]
)
def test_a_nul_byte_on_the_api_is_refused_in_the_api_error_shape(member: Client, url: str) -> None:
    response = member.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The address contains a NUL byte."}


def test_a_nul_byte_on_a_page_is_refused_in_plain_words(member: Client) -> None:
    response = member.get("/exercises/?goal=a%00b")

    assert response.status_code == 400
    assert b"NUL byte" in response.content


NUL_BODIES = {
    "/api/v1/sessions": ({"routine": "a\u0000"}, "routine"),
    "/api/v1/push/subscriptions": (
        {"endpoint": "https://push.example/\u0000", "keys": {"p256dh": "a", "auth": "b"}},
        "endpoint",
    ),
    "/api/v1/push/unsubscribe": ({"endpoint": "https://push.example/\u0000"}, "endpoint"),
    "/api/v1/self-check": ({"answers": {"heel-morning\u0000": "yes"}}, "answers"),
}


@pytest.mark.parametrize("url", NUL_BODIES)
def test_a_nul_character_in_a_json_body_is_refused_with_its_field(member: Client, url: str) -> None:
    """PostgreSQL cannot store one: before this rule, three of these were a 500 there."""
    body, field = NUL_BODIES[url]

    response = member.post(url, json.dumps(body), content_type="application/json")

    assert response.status_code == 422
    errors = {error["field"]: error["reason"] for error in response.json()["errors"]}
    assert "NUL character" in errors[field], errors


def test_a_nul_deep_in_a_body_is_named_where_it_is(member: Client) -> None:
    body = {
        "client_id": "7c4c1a52-9a0c-4c8e-9d55-3c1e0e6c8a11",
        "routine": "plantar-fasciitis-pain-management",
        "version": 1,
        "started_at": "2026-11-28T07:00:00Z",
        "ended_at": "2026-11-28T07:20:00Z",
        "exercises": [{"position": 1, "exercise": "plantar\u0000", "sets_done": 1}],
        "ignored": "an extra key is not read, so its NUL harms nothing: \u0000",
    }

    response = member.post("/api/v1/sessions", json.dumps(body), content_type="application/json")

    assert response.status_code == 422
    assert response.json()["field"] == "exercises.0.exercise"
    assert "NUL character" in response.json()["detail"]


def test_a_backslash_u_written_out_in_text_is_not_a_nul(member: Client) -> None:
    body = {"answers": {"\\u0000": "yes"}}  # the six characters \u0000, not a NUL

    response = member.post("/api/v1/self-check", json.dumps(body), content_type="application/json")

    assert response.status_code == 422
    assert "no self-check question" in response.json()["detail"]


@pytest.mark.parametrize(
    "fields",
    [{"question": "heel-morning\u0000", "answer": "yes"}, {"a\u0000": "x"}],
    ids=["value", "name"],
)
def test_a_nul_character_in_a_page_form_is_refused(member: Client, fields: dict) -> None:
    response = member.post("/self-check/", fields)

    assert response.status_code == 400
    assert b"NUL character" in response.content
