"""Hostile or broken query strings and paths: a clear 4xx or a normal page, never a 5xx,
and never the input echoed back unescaped."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

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


@pytest.fixture
def member(clinic_content: None) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_user("tester", password="a-long-pass-1"))
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
    "/api/v1/sessions": {"client_id": "7c4c1a52-9a0c-4c8e-9d55-3c1e0e6c8a11", "routine": "a\u0000"},
    "/api/v1/checkins": {"red_flags": ["numbness\u0000"]},
    "/api/v1/push/subscriptions": {"endpoint": "https://push.example/\u0000", "keys": {}},
    "/api/v1/push/unsubscribe": {"endpoint": "https://push.example/\u0000"},
    "/api/v1/self-check": {"answers": {"heel-morning\u0000": "yes"}},
    "/api/v1/clinic/routines/plantar-fasciitis-pain-management/publish": {"changelog": "\u0000"},
}


@pytest.mark.parametrize("url", NUL_BODIES)
def test_a_nul_character_in_a_json_body_is_refused_before_it_reaches_the_database(
    member: Client, url: str
) -> None:
    """PostgreSQL cannot store one: before this rule, three of these were a 500 there."""
    response = member.post(url, json.dumps(NUL_BODIES[url]), content_type="application/json")

    assert response.status_code == 422
    assert response.json() == {"detail": "Text cannot contain a NUL character (\\u0000)."}


def test_a_backslash_u_written_out_in_text_is_not_a_nul(member: Client) -> None:
    body = {"answers": {"\\u0000": "yes"}}  # the six characters \u0000, not a NUL

    response = member.post("/api/v1/self-check", json.dumps(body), content_type="application/json")

    assert response.status_code == 422
    assert "no self-check question" in response.json()["detail"]
