"""Publishing from the clinic: N+1, a changelog, immutable old versions, one winner."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from clinic import services
from clinic.types import DraftItem
from footing.errors import Conflict, Invalid
from library.models import RoutineVersion
from tests.clinic.conftest import World

URL = "/api/v1/clinic/routines/heel-routine/publish"
V2_ITEMS = [
    {"exercise": "arch-lift", "sets": 3, "hold_seconds": 8, "rest_seconds": 30},
    {"exercise": "calf-raise", "sets": 4, "reps": 10, "rest_seconds": 120, "note": "Backpack"},
]


def staff(world: World) -> Client:
    client = Client()
    client.force_login(world.clinician)
    return client


def post(client: Client, body: dict) -> object:
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_publish_makes_version_two_and_leaves_version_one_alone(world: World) -> None:
    client = staff(world)
    v1_before = client.get("/api/v1/routines/heel-routine/versions/1").json()

    response = post(client, {"changelog": "Harder calf raises", "items": V2_ITEMS})

    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2
    v2 = client.get("/api/v1/routines/heel-routine/versions/2").json()
    assert v2["changelog"] == "Harder calf raises"
    assert [(i["exercise"]["slug"], i["dose"]) for i in v2["items"]] == [
        ("arch-lift", "3 × 8 s hold"),
        ("calf-raise", "4 × 10"),
    ]
    assert client.get("/api/v1/routines/heel-routine/versions/1").json() == v1_before
    assert client.get("/api/v1/routines/heel-routine").json()["version"] == 2


def test_publish_without_items_publishes_the_saved_draft(world: World) -> None:
    services.routine_draft_save(
        slug="heel-routine", items=[DraftItem(exercise="calf-raise", sets=5, reps=8)]
    )
    response = post(staff(world), {"changelog": "Only calf raises", "expected_version": 1})
    assert response.status_code == 201
    snapshot = RoutineVersion.objects.get(routine__slug="heel-routine", number=2).snapshot
    assert [(i["exercise"]["slug"], i["sets"], i["reps"]) for i in snapshot["items"]] == [
        ("calf-raise", 5, 8)
    ]


@pytest.mark.parametrize("changelog", ["", "   "])
def test_changelog_is_required(world: World, changelog: str) -> None:
    response = post(staff(world), {"changelog": changelog, "items": V2_ITEMS})
    assert response.status_code == 422
    assert response.json()["field"] == "changelog"
    assert RoutineVersion.objects.filter(routine__slug="heel-routine").count() == 1


def test_a_refused_publish_leaves_the_draft_as_it_was(world: World) -> None:
    bad = [*V2_ITEMS, {"exercise": "no-such-move", "sets": 1, "reps": 1}]
    response = post(staff(world), {"changelog": "Oops", "items": bad})
    assert response.status_code == 422
    assert "no-such-move" in response.json()["detail"]
    assert [i.exercise.slug for i in world.routine.items.order_by("position")] == [
        "calf-raise",
        "arch-lift",
    ]


def test_a_stale_editor_gets_a_clear_conflict(world: World) -> None:
    client = staff(world)
    assert post(client, {"changelog": "First edit", "expected_version": 1}).status_code == 201
    response = post(client, {"changelog": "Second edit", "expected_version": 1})
    assert response.status_code == 409
    assert "Version 2 was published meanwhile" in response.json()["detail"]


def test_an_item_needs_exactly_one_measure(world: World) -> None:
    items = [{"exercise": "calf-raise", "sets": 3, "reps": 10, "hold_seconds": 5}]
    response = post(staff(world), {"changelog": "Both", "items": items})
    assert response.status_code == 422
    assert "exactly one" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_publishes_one_wins(routine_content, settings) -> None:
    """Two editors who both started from v1 publish at the same moment: exactly one
    version 2 exists afterwards and the other editor is told why."""
    # Separate threads need a database they share: tests use a file on SQLite too
    # (footing/settings.py), never shared-cache memory.
    assert not str(connection.settings_dict["NAME"]).startswith(("file:memorydb", ":memory:"))
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def publish(line: str) -> None:
        barrier.wait()
        try:
            version = services.routine_publish_edited(
                slug="heel-routine", changelog=line, expected_version=1
            )
            outcomes.append(version.number)
        except Conflict as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(f"edit {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(map(str, outcomes)).count("2") == 1
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    assert list(
        RoutineVersion.objects.filter(routine__slug="heel-routine").values_list("number", flat=True)
    ) == [1, 2]


def test_service_refuses_an_empty_routine(world: World) -> None:
    with pytest.raises(Invalid):
        services.routine_draft_save(slug="heel-routine", items=[])


def test_a_nul_in_a_changelog_or_a_note_is_refused_with_its_field(world: World) -> None:
    client = staff(world)
    items = [{"exercise": "calf-raise", "sets": 3, "reps": 10, "note": "slow\u0000"}]

    changelog = post(client, {"changelog": "Fewer\u0000 reps"})
    note = post(client, {"changelog": "Fewer reps", "items": items})

    assert (changelog.status_code, changelog.json()["field"]) == (422, "changelog")
    assert (note.status_code, note.json()["field"]) == (422, "items.0.note")
    assert world.routine.versions.count() == 1
