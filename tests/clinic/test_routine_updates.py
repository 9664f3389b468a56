"""Publishing reaches every patient with its reason: "Your routine was updated:
<changelog>" once, on home, the routine page or the player, online or in the next sync;
and the publish screen says beforehand who it reaches and how many keep it saved."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from clinic import services
from clinic.models import Membership, Prescription, Role
from library.models import SavedRoutine
from library.types import DraftItem
from tests.clinic.conftest import World, make_user, member

HTMX = {"HX-Request": "true"}


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def publish(world: World, changelog: str, sets: int, version: int) -> None:
    services.routine_publish(
        membership=Membership.objects.get(user=world.clinician),
        slug=world.own_routine.slug,
        changelog=changelog,
        expected_version=version,
        expected_revision=version - 1,
        items=[DraftItem(exercise="calf-raise", sets=sets, reps=10)],
    )


@pytest.fixture
def prescribed(world: World) -> World:
    """North's patient has North's own routine prescribed (told about v1)."""
    Prescription.objects.filter(pk=world.prescription.pk).update(
        routine=world.own_routine, seen_version=1
    )
    return world


@pytest.fixture
def south_patient(world: World) -> User:
    patient = make_user("south-pat")
    member(patient, world.other_clinic, Role.PATIENT)
    return patient


def updates_partial(client: Client, routine: str = "") -> object:
    query = f"?routine={routine}" if routine else ""
    return client.get(reverse("pwa:routine_updates") + query, headers=HTMX)


def test_nothing_to_say_before_a_publish(prescribed: World) -> None:
    assert updates_partial(client_of(prescribed.patient)).status_code == 204
    assert client_of(prescribed.patient).get("/api/v1/me/routine-updates").json() == []


def test_the_patient_sees_it_once_wherever_they_look_first(prescribed: World) -> None:
    publish(prescribed, "Fewer calf raises while the heel settles", sets=2, version=1)
    patient = client_of(prescribed.patient)
    slug = prescribed.own_routine.slug

    listed = patient.get("/api/v1/me/routine-updates").json()
    assert [(u["slug"], u["version"], u["changelog"]) for u in listed] == [
        (slug, 2, "Fewer calf raises while the heel settles")
    ]
    shown = updates_partial(patient, slug)
    assert shown.status_code == 200
    assert (
        'Your routine was updated: <span class="notice-changelog">'
        "Fewer calf raises while the heel settles</span>"
    ) in shown.text
    assert {"private", "no-store"} <= set(shown["Cache-Control"].replace(" ", "").split(","))

    # Seen once: not again on home, the routine page, the player, the API or the sync.
    assert updates_partial(patient).status_code == 204
    assert updates_partial(patient, slug).status_code == 204
    assert patient.get("/api/v1/me/routine-updates").json() == []
    assert patient.get("/api/v1/sync").json()["updates"] == []


def test_several_versions_unseen_are_all_told(prescribed: World) -> None:
    publish(prescribed, "Fewer reps", sets=2, version=1)
    publish(prescribed, "Back to three sets", sets=3, version=2)

    shown = updates_partial(client_of(prescribed.patient)).text

    assert 'updated: <span class="notice-changelog">Back to three sets</span>' in shown
    assert "Earlier, version 2: Fewer reps" in shown
    assert f'href="/routines/{prescribed.own_routine.slug}/"' in shown  # home links it


def test_an_offline_phone_hears_of_it_in_its_next_sync_until_it_says_seen(
    prescribed: World,
) -> None:
    publish(prescribed, "Fewer reps", sets=2, version=1)
    patient = client_of(prescribed.patient)
    slug = prescribed.own_routine.slug

    synced = patient.get("/api/v1/sync", {"routine": f"{slug}:1"})

    body = synced.json()
    assert "private" in synced["Cache-Control"]
    assert body["routines"][0] | {"changes": None} == {
        "slug": slug,
        "available": True,
        "version": 2,
        "title": "Heel routine",
        "changelog": "Fewer reps",
        "updated": True,
        "changes": None,
        "offline_manifest": f"/api/v1/routines/{slug}/offline-manifest",
    }
    assert [(u["slug"], u["changelog"]) for u in body["updates"]] == [(slug, "Fewer reps")]
    # The clinic's notice covers this routine: the phone adds no saved-copy notice.
    assert body["prescribed"] == [slug]
    # The phone showed it (offline, on the player's start screen): it says so.
    seen = patient.post(
        "/api/v1/me/routine-updates/seen",
        json.dumps({"routine": slug, "version": 2}),
        content_type="application/json",
    )
    assert seen.json() == {"seen": 1}
    assert patient.get("/api/v1/sync").json()["updates"] == []


def test_seen_never_runs_ahead_of_what_is_published(prescribed: World) -> None:
    patient = client_of(prescribed.patient)
    ahead = patient.post(
        "/api/v1/me/routine-updates/seen",
        json.dumps({"routine": prescribed.own_routine.slug, "version": 9}),
        content_type="application/json",
    )
    assert ahead.json() == {"seen": 0}
    publish(prescribed, "Fewer reps", sets=2, version=1)
    assert len(patient.get("/api/v1/me/routine-updates").json()) == 1


def test_nobody_else_is_told(prescribed: World, south_patient: User) -> None:
    publish(prescribed, "Fewer reps", sets=2, version=1)
    for user in (prescribed.runner, south_patient, prescribed.clinician, None):
        client = client_of(user)
        assert updates_partial(client).status_code == 204
        if user is not None:
            assert client.get("/api/v1/me/routine-updates").json() == []


def test_an_ended_prescription_is_not_told(prescribed: World) -> None:
    Prescription.objects.filter(pk=prescribed.prescription.pk).update(active=False)
    publish(prescribed, "Fewer reps", sets=2, version=1)
    assert updates_partial(client_of(prescribed.patient)).status_code == 204


def test_pages_ask_for_the_notice_without_holding_it(prescribed: World) -> None:
    """The routine page and the player are the same for everyone: they only hold the slot
    that asks for the notice; home asks for a logged-in person only."""
    publish(prescribed, "Fewer reps", sets=2, version=1)
    slug = prescribed.own_routine.slug
    patient = client_of(prescribed.patient)
    slot = f'hx-get="/me/routine-updates/?routine={slug}" hx-trigger="load"'
    for page in (f"/routines/{slug}/", f"/routines/{slug}/play/"):
        text = patient.get(page).text
        assert slot in text and "Your routine was updated" not in text
    assert 'hx-get="/me/routine-updates/"' in patient.get("/").text
    assert 'hx-get="/me/routine-updates/"' not in Client().get("/").text
    # Looking at the pages did not count as seeing the notice.
    assert updates_partial(patient).status_code == 200


def test_the_publish_screen_says_who_it_reaches_and_who_keeps_it_saved(
    prescribed: World,
) -> None:
    second = make_user("pat-2")
    member(second, prescribed.clinic, Role.PATIENT)
    Prescription.objects.create(
        clinic=prescribed.clinic, patient=second, routine=prescribed.own_routine, days_per_week=2
    )
    slug = prescribed.own_routine.slug
    # The first patient's phone keeps it saved (its sync says so).
    client_of(prescribed.patient).get("/api/v1/sync", {"routine": f"{slug}:1"})
    assert SavedRoutine.objects.filter(user=prescribed.patient).count() == 1

    editor = client_of(prescribed.clinician).get(reverse("clinic:routine_edit", args=[slug])).text
    api = client_of(prescribed.clinician).get(f"/api/v1/clinic/routines/{slug}").json()

    assert "This reaches <strong>2 patients</strong> (1 has it saved on their phone)" in editor
    assert api["reach"] == {"patients": 2, "saved": 1}
    # A phone that no longer holds it says so in its next sync.
    client_of(prescribed.patient).get("/api/v1/sync")
    assert not SavedRoutine.objects.filter(user=prescribed.patient).exists()


def test_a_sync_that_says_the_same_again_writes_nothing(prescribed: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    slug = prescribed.own_routine.slug
    patient = client_of(prescribed.patient)
    patient.get("/api/v1/sync", {"routine": f"{slug}:1"})

    with CaptureQueriesContext(connection) as queries:
        patient.get("/api/v1/sync", {"routine": f"{slug}:1"})

    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert [w for w in writes if "saved" in w.lower()] == []
