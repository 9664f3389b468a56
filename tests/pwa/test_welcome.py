"""Sign-up ends on a welcome: main problem, reminder time and a clinic code, each optional,
saved together or not at all. (Keeping the sessions played on the phone before the
account is the page's JavaScript: e2e/test_signup_keeps.py and tests/js.)"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from accounts.models import Profile
from clinic.models import Clinic, Invitation, Membership

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-1"


def signed_up(client: Client, **extra: str) -> User:
    response = client.post(
        "/accounts/signup/",
        {"username": "ann@example.org", "password": PASSWORD, "time_zone": "Europe/Oslo", **extra},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/welcome/"
    return User.objects.get(username="ann@example.org")


@pytest.fixture
def invitation(db: None) -> Invitation:
    clinic = Clinic.objects.create(slug="north", name="North Physio")
    return Invitation.objects.create(
        clinic=clinic, code="ABCD2345", expires_at=timezone.now() + timedelta(days=3)
    )


def test_the_welcome_asks_three_things_and_saves_them(clinic_content: None, invitation) -> None:
    client = Client()
    user = signed_up(client)
    page = client.get("/accounts/welcome/").content.decode()
    assert "Welcome to Footing" in page
    assert 'name="main_condition"' in page and 'name="reminder_time"' in page
    assert 'name="invitation"' in page
    assert 'data-module="keep-sessions"' in page

    response = client.post(
        "/accounts/welcome/",
        {"main_condition": "plantar-fasciitis", "reminder_time": "06:45", "invitation": "abcd2345"},
    )

    assert response.status_code == 302 and response["Location"] == "/"
    profile = Profile.objects.get(user=user)
    assert profile.main_condition == "plantar-fasciitis"
    assert profile.reminder_time == time(6, 45)
    assert profile.time_zone == "Europe/Oslo"  # sign-up's, untouched
    assert Membership.objects.get(user=user).clinic == invitation.clinic


def test_everything_may_be_left_empty(db: None) -> None:
    client = Client()
    user = signed_up(client)
    response = client.post("/accounts/welcome/", {"main_condition": "", "reminder_time": ""})
    assert response.status_code == 302
    assert Profile.objects.get(user=user).reminder_time is None
    assert not Membership.objects.filter(user=user).exists()


def test_a_bad_code_names_the_field_and_saves_nothing(db: None, invitation) -> None:
    client = Client()
    user = signed_up(client)
    invitation.used_by = User.objects.create_user("someone-else")
    invitation.used_at = timezone.now()
    invitation.save()

    response = client.post(
        "/accounts/welcome/", {"reminder_time": "06:45", "invitation": "ABCD2345"}
    )

    assert response.status_code == 422
    assert "field-invalid" in response.content.decode()
    assert Profile.objects.get(user=user).reminder_time is None  # not half-stored
    assert not Membership.objects.filter(user=user).exists()


def test_a_bad_time_names_the_field(db: None) -> None:
    client = Client()
    signed_up(client)
    response = client.post("/accounts/welcome/", {"reminder_time": "25:99"})
    assert response.status_code == 422
    assert "Enter a valid time" in response.content.decode()


def test_a_patient_who_joined_at_sign_up_is_greeted_by_the_clinic(db: None, invitation) -> None:
    client = Client()
    signed_up(client, invitation="ABCD2345")
    page = client.get("/accounts/welcome/").content.decode()
    assert "North Physio" in page
    assert 'name="invitation"' not in page  # already a patient


def test_the_welcome_is_for_logged_in_people(db: None) -> None:
    response = Client().get("/accounts/welcome/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
