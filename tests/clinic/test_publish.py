"""Publishing a clinic's own routine: N+1, a changelog, immutable old versions, one
winner, and nothing that crosses to another clinic or the library."""

from __future__ import annotations

import json
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from clinic import services
from clinic.models import Membership, Role
from footing.errors import Conflict, Invalid
from library.models import Routine, RoutineVersion
from library.types import DraftItem
from tests.clinic.conftest import World, make_user, member

V2_ITEMS = [
    {"exercise": "arch-lift", "sets": 3, "hold_seconds": 8, "rest_seconds": 30},
    {"exercise": "calf-raise", "sets": 4, "reps": 10, "rest_seconds": 120, "note": "Backpack"},
]


def staff(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(routine: Routine, what: str = "publish") -> str:
    return f"/api/v1/clinic/routines/{routine.slug}/{what}"


def post(client: Client, address: str, body: dict) -> object:
    return client.post(address, json.dumps(body), content_type="application/json")


def base(**extra: object) -> dict:
    return {"expected_version": 1, "draft_revision": 0} | extra


def test_publish_makes_version_two_and_leaves_version_one_alone(world: World) -> None:
    client = staff(world.clinician)
    routine = world.own_routine
    v1_before = client.get(f"/api/v1/routines/{routine.slug}/versions/1").json()

    response = post(client, url(routine), base(changelog="Harder calf raises", items=V2_ITEMS))

    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2
    v2 = client.get(f"/api/v1/routines/{routine.slug}/versions/2").json()
    assert v2["changelog"] == "Harder calf raises"
    assert [(i["exercise"]["slug"], i["dose"]) for i in v2["items"]] == [
        ("arch-lift", "3 × 8 s hold"),
        ("calf-raise", "4 × 10"),
    ]
    assert client.get(f"/api/v1/routines/{routine.slug}/versions/1").json() == v1_before
    assert client.get(f"/api/v1/routines/{routine.slug}").json()["version"] == 2
    # Nothing reached the library or the other clinic's copy.
    assert world.routine.versions.count() == 1
    assert world.other_routine.versions.count() == 1


def test_the_draft_round_trip_over_the_api(world: World) -> None:
    client = staff(world.clinician)
    routine = world.own_routine
    editor = client.get(f"/api/v1/clinic/routines/{routine.slug}").json()
    assert (editor["owner"], editor["version"], editor["draft_revision"]) == ("clinic", 1, 0)

    saved = client.put(
        url(routine, "draft"),
        json.dumps({"items": V2_ITEMS[1:], **base()}),
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["draft_revision"] == 1
    assert saved.json()["draft_changes"] == [
        "Removed Arch lift",
        "Calf raise: 3 × 12 → 4 × 10",
        "Calf raise: rest 60 s → 120 s",
        "Calf raise: new note",
    ]

    response = post(client, url(routine), base(changelog="Only calf raises", draft_revision=1))
    assert response.status_code == 201
    snapshot = RoutineVersion.objects.get(routine=routine, number=2).snapshot
    assert [(i["exercise"]["slug"], i["sets"], i["reps"]) for i in snapshot["items"]] == [
        ("calf-raise", 4, 10)
    ]
    versions = client.get(url(routine, "versions")).json()
    assert [(v["version"], v["published_by"]) for v in versions] == [
        (2, "dr-north"),
        (1, "dr-north"),
    ]


@pytest.mark.parametrize("changelog", ["", "   "])
def test_changelog_is_required(world: World, changelog: str) -> None:
    response = post(
        staff(world.clinician), url(world.own_routine), base(changelog=changelog, items=V2_ITEMS)
    )
    assert response.status_code == 422
    assert response.json()["field"] == "changelog"
    assert world.own_routine.versions.count() == 1


@pytest.mark.parametrize("missing", ["expected_version", "draft_revision"])
def test_publish_must_say_what_it_was_based_on(world: World, missing: str) -> None:
    body = base(changelog="Harder", items=V2_ITEMS)
    del body[missing]
    response = post(staff(world.clinician), url(world.own_routine), body)
    assert response.status_code == 422
    assert response.json()["field"] == missing
    assert world.own_routine.versions.count() == 1


def test_a_refused_publish_leaves_the_draft_as_it_was(world: World) -> None:
    bad = [*V2_ITEMS, {"exercise": "no-such-move", "sets": 1, "reps": 1}]
    response = post(
        staff(world.clinician), url(world.own_routine), base(changelog="Oops", items=bad)
    )
    assert response.status_code == 422
    assert "no-such-move" in response.json()["detail"]
    assert response.json()["field"] == "items.2.exercise"
    assert [i.exercise.slug for i in world.own_routine.items.order_by("position")] == [
        "calf-raise",
        "arch-lift",
    ]


def test_a_stale_editor_is_told_who_published_what_and_when(world: World) -> None:
    colleague = make_user("dr-north-2")
    member(colleague, world.clinic, Role.CLINICIAN)
    first = post(
        staff(colleague), url(world.own_routine), base(changelog="Fewer reps", items=V2_ITEMS)
    )
    assert first.status_code == 201

    response = post(
        staff(world.clinician), url(world.own_routine), base(changelog="Mine", items=V2_ITEMS[:1])
    )

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "dr-north-2 published version 2 at" in detail and "“Fewer reps”" in detail
    assert response.json()["field"] == "expected_version"


def test_an_item_needs_exactly_one_measure(world: World) -> None:
    items = [{"exercise": "calf-raise", "sets": 3, "reps": 10, "hold_seconds": 5}]
    response = post(
        staff(world.clinician), url(world.own_routine), base(changelog="Both", items=items)
    )
    assert response.status_code == 422
    assert "exactly one" in response.json()["detail"]


def test_a_dose_past_the_limits_is_refused_by_the_schema_naming_the_field(world: World) -> None:
    items = [{"exercise": "calf-raise", "sets": 3, "reps": 10, "rest_seconds": 601}]
    response = post(
        staff(world.clinician), url(world.own_routine), base(changelog="x", items=items)
    )
    assert response.status_code == 422
    assert response.json()["field"] == "items.0.rest_seconds"


def test_another_clinic_cannot_touch_it_and_nobody_changes_the_library(world: World) -> None:
    south = staff(world.other_clinician)
    for what, method in (("publish", "post"), ("draft", "put"), ("copy", "post"), ("", "get")):
        address = url(world.own_routine, what).rstrip("/")
        body = json.dumps(base(changelog="Mine", items=V2_ITEMS))
        response = south.generic(method.upper(), address, body, content_type="application/json")
        assert response.status_code == 404, (what, response.content)
    library = post(staff(world.clinician), url(world.routine), base(changelog="x", items=V2_ITEMS))
    assert library.status_code == 403
    assert "copy it to your clinic" in library.json()["detail"]
    assert world.routine.versions.count() == 1
    assert world.own_routine.versions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_publishes_one_wins(routine_content: Routine) -> None:
    """Two of a clinic's editors who both started from v1 publish at the same moment:
    exactly one version 2 exists afterwards and the other editor is told why. (On
    SQLite's test file and on PostgreSQL alike.)"""
    from clinic.models import Clinic

    # Separate threads need a database they share: tests use a file on SQLite too
    # (footing/settings.py), never shared-cache memory.
    assert not str(connection.settings_dict["NAME"]).startswith(("file:memorydb", ":memory:"))

    clinic = Clinic.objects.create(slug="north", name="North")
    editors = [
        Membership.objects.create(user=make_user(f"dr-{n}"), clinic=clinic, role=Role.CLINICIAN)
        for n in range(2)
    ]
    copy = services.routine_copy(membership=editors[0], slug=routine_content.slug)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def publish(membership: Membership, sets: int) -> None:
        barrier.wait()
        try:
            version = services.routine_publish(
                membership=membership,
                slug=copy.slug,
                changelog=f"{sets} sets",
                expected_version=1,
                expected_revision=0,
                items=[DraftItem(exercise="calf-raise", sets=sets, reps=10)],
            )
            outcomes.append(version.number)
        except Conflict as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(m, n + 4)) for n, m in enumerate(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count(2) == 1, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    assert list(RoutineVersion.objects.filter(routine=copy).values_list("number", flat=True)) == [
        1,
        2,
    ]


def test_service_refuses_an_empty_routine(world: World) -> None:
    north = Membership.objects.get(user=world.clinician)
    with pytest.raises(Invalid):
        services.routine_draft_save(
            membership=north,
            slug=world.own_routine.slug,
            items=[],
            expected_version=1,
            expected_revision=0,
        )


def test_a_nul_in_a_changelog_or_a_note_is_refused_with_its_field(world: World) -> None:
    client = staff(world.clinician)
    items = [{"exercise": "calf-raise", "sets": 3, "reps": 10, "note": "slow\u0000"}]

    changelog = post(client, url(world.own_routine), base(changelog="Fewer\u0000 reps"))
    note = post(client, url(world.own_routine), base(changelog="Fewer reps", items=items))

    assert (changelog.status_code, changelog.json()["field"]) == (422, "changelog")
    assert (note.status_code, note.json()["field"]) == (422, "items.0.note")
    assert world.own_routine.versions.count() == 1
