"""Invitations: single use, expiring, withdrawable; signing up with one joins the clinic."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic import services
from clinic.models import Invitation, Membership, Role
from footing.errors import Conflict, Invalid
from tests.clinic.conftest import World, make_user

PASSWORD = "a long pass phrase 42"


def signup(client: Client, username: str, code: str):
    return client.post(
        reverse("accounts:signup"),
        {"username": username, "password": PASSWORD, "time_zone": "UTC", "invitation": code},
    )


def fresh_invitation(world: World, **changes) -> Invitation:
    membership = Membership.objects.get(user=world.clinician)
    invitation = services.invitation_create(membership=membership, label="Ann", now=timezone.now())
    if changes:
        Invitation.objects.filter(pk=invitation.pk).update(**changes)
        invitation.refresh_from_db()
    return invitation


def test_signing_up_with_a_code_joins_the_clinic(world: World) -> None:
    invitation = fresh_invitation(world)
    # People type codes from a card: lower case and the dash are fine.
    typed = f"{invitation.code[:4].lower()}-{invitation.code[4:].lower()}"

    response = signup(Client(), "ann@example.org", typed)

    assert response.status_code == 302
    ann = User.objects.get(username="ann@example.org")
    membership = Membership.objects.get(user=ann)
    assert (membership.clinic, membership.role) == (world.clinic, Role.PATIENT)
    invitation.refresh_from_db()
    assert invitation.used_by == ann and invitation.used_at is not None


def test_the_link_fills_in_the_code(world: World) -> None:
    invitation = fresh_invitation(world)
    response = Client().get(reverse("care:join", args=[invitation.code]), follow=True)
    assert f'value="{invitation.code}"' in response.text


def test_a_code_works_once(world: World) -> None:
    invitation = fresh_invitation(world)
    assert signup(Client(), "first@example.org", invitation.code).status_code == 302

    response = signup(Client(), "second@example.org", invitation.code)

    assert response.status_code == 200  # the form again, with the reason
    assert "already been used" in response.text
    assert not User.objects.filter(username="second@example.org").exists()


def test_an_expired_code_is_refused(world: World) -> None:
    invitation = fresh_invitation(world, expires_at=timezone.now() - timedelta(minutes=1))
    response = signup(Client(), "late@example.org", invitation.code)
    assert "has expired" in response.text
    assert not User.objects.filter(username="late@example.org").exists()
    assert Client().get(reverse("care:join", args=[invitation.code])).status_code == 410


def test_a_withdrawn_code_is_refused(world: World) -> None:
    invitation = fresh_invitation(world)
    services.invitation_revoke(
        membership=Membership.objects.get(user=world.clinician), invitation_id=invitation.pk
    )
    with pytest.raises(Invalid, match="withdrawn"):
        services.invitation_accept(code=invitation.code, user=world.runner, now=timezone.now())


def test_someone_already_in_a_clinic_cannot_join_another(world: World) -> None:
    invitation = fresh_invitation(world)
    with pytest.raises(Conflict):
        services.invitation_accept(code=invitation.code, user=world.patient, now=timezone.now())
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_a_logged_in_runner_joins_from_the_link(world: World) -> None:
    invitation = fresh_invitation(world)
    client = Client()
    client.force_login(world.runner)
    assert "Join North Physio" in client.get(reverse("care:join", args=[invitation.code])).text
    client.post(reverse("care:join", args=[invitation.code]))
    assert Membership.objects.get(user=world.runner).clinic == world.clinic


def test_the_clinician_creates_and_lists_codes(world: World) -> None:
    client = Client()
    client.force_login(world.clinician)
    response = client.post(reverse("clinic:invitations"), {"label": "Bea, Tuesday", "days": "7"})
    assert response.status_code == 201
    created = Invitation.objects.get(label="Bea, Tuesday")
    assert reverse("care:join", args=[created.code]) in response.text
    assert timedelta(days=6) < created.expires_at - timezone.now() <= timedelta(days=7)
    assert len(created.code) == 8 and not set(created.code) & set("01OIL")


def test_staff_add_command(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    make_user("new-physio")
    out = StringIO()
    call_command("clinic_add_staff", "new-physio", "--clinic", "east", stdout=out)
    membership = Membership.objects.select_related("clinic").get(user__username="new-physio")
    assert (membership.clinic.slug, membership.role) == ("east", Role.CLINICIAN)
    assert "clinician of East" in out.getvalue()
    # Running it again changes nothing.
    call_command("clinic_add_staff", "new-physio", "--clinic", "east", stdout=StringIO())
    assert Membership.objects.filter(user__username="new-physio").count() == 1
