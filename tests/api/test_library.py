from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import load, routine_data, routine_with_items, write_content, write_file

pytestmark = pytest.mark.django_db

ROUTES = [
    "/api/v1/conditions",
    "/api/v1/conditions/plantar-fasciitis",
    "/api/v1/exercises",
    "/api/v1/exercises?goal=pain-management",
    "/api/v1/exercises?condition=metatarsalgia",
    "/api/v1/exercises/high-load-heel-raise",
    "/api/v1/routines",
    "/api/v1/routines?condition=plantar-fasciitis",
    "/api/v1/routines/plantar-fasciitis-pain-management",
    "/api/v1/routines/plantar-fasciitis-pain-management/versions/1",
]


@pytest.mark.parametrize("url", ROUTES)
def test_content_routes_answer_and_revalidate_with_etags(
    client: Client, clinic_content: None, url: str
) -> None:
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    etag = response["ETag"]
    assert "must-revalidate" in response["Cache-Control"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/conditions/knee-pain",
        "/api/v1/exercises/hop",
        "/api/v1/routines/nope",
        "/api/v1/routines/plantar-fasciitis-pain-management/versions/99",
        "/api/v1/exercises?goal=speed",
    ],
)
def test_unknown_things_are_404_json(client: Client, clinic_content: None, url: str) -> None:
    response = client.get(url)

    assert response.status_code in (404, 422)
    assert "detail" in response.json()


def test_the_etag_changes_when_content_changes(client: Client, tmp_path: Path) -> None:
    root = write_content(tmp_path)
    load(root)
    etag = client.get("/api/v1/routines/heel-routine")["ETag"]
    write_file(root, "routines", routine_data(title="Renamed", changelog="New title."))
    load(root)

    response = client.get("/api/v1/routines/heel-routine", headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"


def test_a_routine_is_its_published_version(client: Client, clinic_content: None) -> None:
    body = client.get("/api/v1/routines/plantar-fasciitis-pain-management").json()

    assert body["version"] == 1
    assert body["changelog"]
    assert len(body["content_hash"]) == 64
    first = body["items"][0]
    assert first["position"] == 1
    assert {"slug", "name", "cues"} <= set(first["exercise"])
    assert first["dose"]


def test_condition_detail_carries_red_flags_and_doctor_advice(
    client: Client, clinic_content: None
) -> None:
    body = client.get("/api/v1/conditions/posterior-compartment-syndrome").json()

    assert body["doctor_first"] is True
    assert body["routines"] == []
    assert "sports medicine doctor" in body["doctor_note"]
    assert any(flag["urgency"] == "emergency" for flag in body["red_flags"])


def test_exercise_detail_has_its_dose(client: Client, clinic_content: None) -> None:
    body = client.get("/api/v1/exercises/plantar-fascia-stretch").json()

    assert body["goal"] == "pain-management"
    assert body["dose"]["hold_seconds"] == 10
    assert "plantar-fasciitis" in body["conditions"]


def test_openapi_describes_every_route(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()

    assert {"/api/v1/conditions", "/api/v1/routines/{slug}/versions/{number}"} <= set(
        schema["paths"]
    )
    assert client.get("/api/v1/docs").status_code == 200


def test_query_counts_do_not_grow_with_items(client: Client, tmp_path: Path) -> None:
    root = write_content(tmp_path)
    routine_with_items(root, slug="short", count=3)
    routine_with_items(root, slug="long", count=30)
    load(root)

    counts = {}
    for url in (
        "/api/v1/routines/short",
        "/api/v1/routines/long",
        "/api/v1/routines",
        "/api/v1/exercises",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)

    assert counts["/api/v1/routines/short"] == counts["/api/v1/routines/long"] <= 3
    assert counts["/api/v1/routines"] <= 4
    assert counts["/api/v1/exercises"] <= 3


def test_every_string_the_api_takes_says_what_it_may_hold(client: Client) -> None:
    """A string input with no pattern, enum or format would let a fuzzer (or a client)
    send a NUL the middleware refuses, though the schema allowed it."""
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    free: list[str] = []

    def walk(node: dict, where: str) -> None:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return walk(components[name], f"{where}→{name}")
        if node.get("type") == "string" and not {"pattern", "enum", "format"} & set(node):
            free.append(where)
        for key in ("anyOf", "oneOf", "allOf"):
            for child in node.get(key, []):
                walk(child, where)
        for name, child in node.get("properties", {}).items():
            walk(child, f"{where}.{name}")
        for key in ("items", "additionalProperties", "propertyNames"):
            if isinstance(node.get(key), dict):
                walk(node[key], f"{where}.{key}")

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                walk(parameter["schema"], f"{method} {path} {parameter['name']}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                walk(content["schema"], f"{method} {path} body")

    assert free == []
    assert (
        schema["paths"]["/api/v1/exercises/{slug}"]["get"]["parameters"][0]["schema"]["pattern"]
        == "^[^\\x00]*$"
    )
