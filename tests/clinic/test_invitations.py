"""Invitations: single use, expiring, withdrawable; signing up with one joins the clinic."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import display_name
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


def test_an_invitation_is_passed_on_by_link_qr_code_email_or_text(world: World) -> None:
    client = Client()
    client.force_login(world.clinician)
    created = client.post(reverse("clinic:invitations"), {"label": "Cas", "days": "7"})
    invitation = Invitation.objects.get(label="Cas")
    link = f"http://testserver{reverse('care:join', args=[invitation.code])}"
    for page in (created, client.get(reverse("clinic:invitation_share", args=[invitation.pk]))):
        text = page.text
        assert f'value="{link}"' in text and f'data-share-url="{link}"' in text
        assert '<svg role="img"' in text and "<title>QR code of the invitation link" in text
        assert "mailto:?subject=Join%20North%20Physio" in text and "sms:?body=" in text
    # What the QR code says is the link itself.
    svg = text.split('<svg role="img"')[1].split("</svg>")[0]
    assert 'viewBox="0 0 ' in svg and "<path" in svg
    services.invitation_revoke(
        membership=Membership.objects.get(user=world.clinician), invitation_id=invitation.pk
    )
    gone = client.get(reverse("clinic:invitation_share", args=[invitation.pk])).text
    assert "can't be passed on" in gone and "<svg" not in gone.split("<main")[1]


def test_the_link_lands_on_join_the_clinic_and_the_welcome_says_which(world: World) -> None:
    invitation = fresh_invitation(world)
    client = Client()
    page = client.get(reverse("care:join", args=[invitation.code]))
    assert page.status_code == 200
    assert (
        "<h1>Join North Physio</h1>" in page.text and 'type="hidden" name="invitation"' in page.text
    )
    joined = client.post(
        reverse("accounts:signup"),
        {"username": "ann@example.org", "password": PASSWORD, "invitation": invitation.code},
        follow=True,
    )
    assert joined.redirect_chain[-1][0] == reverse("accounts:welcome")
    assert "You're with <strong>North Physio</strong>" in joined.text
    # No name typed: the clinic's label names the patient.
    assert display_name(user=User.objects.get(username="ann@example.org")) == "Ann"


def test_a_name_typed_at_sign_up_is_the_one_the_clinic_sees(world: World) -> None:
    invitation = fresh_invitation(world)
    Client().post(
        reverse("accounts:signup"),
        {
            "username": "ann@example.org",
            "password": PASSWORD,
            "invitation": invitation.code,
            "display_name": "  Ann   Karlsson ",
        },
    )
    assert display_name(user=User.objects.get(username="ann@example.org")) == "Ann Karlsson"
