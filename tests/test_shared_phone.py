# ruff: noqa: F811  (the clinic world fixture is imported, then named by each test)
"""The server's side of a shared phone: who owns the session is said by a cookie the server
alone sets and clears, a write made offline is refused under anyone else's session, log-out
empties the browser's HTTP cache, and a patient's own doses come from an API read that no
cache keeps (the player page itself is everyone's: tests/test_caching.py)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import DoseOverride
from footing.middleware import OWNER_COOKIE, OWNER_HEADER
from journal.models import CheckIn
from library.models import Exercise
from tests.clinic.conftest import World, routine_content, world  # noqa: F401 (fixtures)

PASSWORD = "a-long-password-1"


def _login(client: Client, world: World) -> None:
    world.runner.set_password(PASSWORD)
    world.runner.save()
    response = client.post(
        reverse("accounts:login"), {"username": world.runner.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_owner_cookie_follows_the_session(world: World) -> None:
    client = Client()
    assert OWNER_COOKIE not in client.get(reverse("pwa:conditions")).cookies
    _login(client, world)
    value = client.cookies[OWNER_COOKIE].value
    ident, name = value.split(":", 1)
    assert ident == str(world.runner.pk) and unquote(name) == world.runner.username
    # Set once: later answers carry no cookie, so person-free pages stay storable.
    assert OWNER_COOKIE not in client.get(reverse("pwa:conditions")).cookies

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert response.cookies[OWNER_COOKIE]["max-age"] == 0
    assert response["Cache-Control"] == "private, no-store"


def test_log_out_is_a_post(world: World) -> None:
    client = Client()
    client.force_login(world.runner)
    assert client.get(reverse("accounts:logout")).status_code == 405


def _checkin(client: Client, owner: str | None) -> Any:
    body = {"client_id": str(uuid.uuid4()), "date": str(timezone.localdate()), "first_step_pain": 3}
    headers = {OWNER_HEADER: owner} if owner is not None else {}
    return client.post("/api/v1/checkins", body, content_type="application/json", headers=headers)


def test_a_write_made_by_another_account_is_refused_and_nothing_stored(world: World) -> None:
    client = Client()
    client.force_login(world.runner)
    for someone_else in (str(world.patient.pk), "", "x", str(world.runner.pk + 1000)):
        response = _checkin(client, someone_else)
        assert response.status_code == 403, someone_else
        assert "another account" in response.json()["detail"]
    assert not CheckIn.objects.exists()

    assert _checkin(client, str(world.runner.pk)).status_code == 201
    # A write from a page (no outbox owner named) is the session's own: here the same
    # morning again, edited.
    assert _checkin(client, None).status_code == 200
    assert CheckIn.objects.filter(user=world.runner).count() == 1


def test_the_plan_is_the_patients_own_and_never_kept(world: World) -> None:
    version = world.routine.current_version
    first = version.snapshot["items"][0]
    DoseOverride.objects.create(
        prescription=world.prescription,
        exercise=Exercise.objects.get(slug=first["exercise"]["slug"]),
        sets=first["sets"] + 2,
    )
    world.prescription.note = "Slow on the way down."
    world.prescription.save()
    url = reverse("api:plan", kwargs={"slug": world.routine.slug})

    patient = Client()
    patient.force_login(world.patient)
    response = patient.get(url)
    assert response["Cache-Control"] == "private, no-store"
    mine = response.json()
    assert mine["prescribed"] is True and mine["note"] == "Slow on the way down."
    assert mine["items"][0]["sets"] == first["sets"] + 2 and mine["items"][0]["prescribed"]

    runner = Client()
    runner.force_login(world.runner)
    theirs = runner.get(url).json()
    assert theirs["prescribed"] is False and theirs["note"] == ""
    assert theirs["items"][0]["sets"] == first["sets"]
    assert not any(item["prescribed"] for item in theirs["items"])

    assert Client().get(url).status_code == 401
    missing = reverse("api:plan", kwargs={"slug": "no-such-routine"})
    assert runner.get(missing).status_code == 404


@pytest.mark.parametrize("role", ["runner", "patient", "clinician"])
def test_me_names_the_account_by_id(world: World, role: str) -> None:
    client = Client()
    user = world.user(role)
    assert user is not None
    client.force_login(user)
    assert client.get("/api/v1/me").json()["id"] == user.pk
