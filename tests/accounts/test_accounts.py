"""Sign-up, log-in, profile, password reset, export and deleting an account."""

from __future__ import annotations

import csv
import importlib
import io
import json
import uuid
from datetime import time, timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Profile
from journal.models import CheckIn
from tests.journal.conftest import make_runner

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-1"


def login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


# ---- sign up ------------------------------------------------------------------------
@pytest.fixture
def production_passwords(settings) -> None:
    """The hashers footing/settings.py really sets (the suite runs on a fast one)."""
    production = importlib.import_module("footing.settings")  # the module, not the overrides
    assert production.PASSWORD_HASHERS[0].endswith(".Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


@pytest.mark.usefixtures("production_passwords")
def test_signup_makes_an_account_a_profile_and_logs_in(db: None) -> None:
    """Also the one test that hashes with Argon2, as production does."""
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {"username": "ann@example.org", "password": PASSWORD, "time_zone": "Europe/Oslo"},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/welcome/"
    user = User.objects.get()
    assert user.email == "ann@example.org"
    assert user.password.startswith("argon2")
    assert user.profile.time_zone == "Europe/Oslo"
    assert client.get("/api/v1/me").json()["username"] == "ann@example.org"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "ann@example.org", "password": "short"}, "too short"),
        ({"username": "ann@", "password": PASSWORD}, "doesn&#x27;t look right"),
        ({"username": "Taken@example.org", "password": PASSWORD}, "already an account"),
    ],
)
def test_signup_refuses_with_reasons(db: None, data: dict, message: str) -> None:
    make_runner("taken@example.org")
    response = Client().post("/accounts/signup/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 1


def test_an_unknown_time_zone_falls_back_to_utc(db: None) -> None:
    Client().post(
        "/accounts/signup/",
        {"username": "bo@example.org", "password": PASSWORD, "time_zone": "Mars/Olympus"},
    )
    assert Profile.objects.get().time_zone == "UTC"


# ---- log in (throttling: tests/accounts/test_throttle.py) ------------------------------
def test_login_with_the_standard_fields(db: None) -> None:
    make_runner("ann@example.org")
    response = login(Client(), "ann@example.org", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/checkin/"


def test_logout_is_a_post(runner_client: Client) -> None:
    assert runner_client.get("/accounts/logout/").status_code == 405
    assert runner_client.post("/accounts/logout/").status_code == 302
    assert runner_client.get("/api/v1/me").status_code == 401


# ---- password reset ------------------------------------------------------------------
def test_password_reset_sends_a_working_link(db: None) -> None:
    make_runner("ann@example.org")
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": "ann@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-one-2", "new_password2": "another-long-one-2"},
    )
    assert done.status_code == 302
    assert login(Client(), "ann@example.org", "another-long-one-2").status_code == 302


# ---- profile --------------------------------------------------------------------------
def test_profile_saves_settings(runner, runner_client: Client) -> None:
    response = runner_client.post(
        "/accounts/profile/",
        {
            "main_condition": "",
            "time_zone": "America/Chicago",
            "reminder_time": "06:45",
            "distance_unit": "mi",
        },
    )
    assert response.status_code == 200 and "Saved." in response.content.decode()
    profile = Profile.objects.get(user=runner)
    assert (profile.time_zone, profile.reminder_time, profile.distance_unit) == (
        "America/Chicago",
        time(6, 45),
        "mi",
    )


def test_profile_offers_the_clinics_conditions(runner_client: Client, clinic_content) -> None:
    html = runner_client.get("/accounts/profile/").content.decode()
    assert 'value="plantar-fasciitis"' in html and 'value="stress-fracture"' in html


def test_profile_refuses_an_unknown_zone(runner, runner_client: Client) -> None:
    response = runner_client.post(
        "/accounts/profile/", {"time_zone": "Nowhere/Land", "distance_unit": "km"}
    )
    assert "Select a valid choice" in response.content.decode()
    assert Profile.objects.get(user=runner).time_zone == "UTC"


@pytest.mark.parametrize(
    "path",
    ["/accounts/profile/", "/accounts/export.csv", "/accounts/export.json", "/accounts/delete/"],
)
def test_account_pages_need_a_login(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# ---- export and delete ------------------------------------------------------------------
def _checkin(user: User, days_ago: int, pain: int, **extra) -> CheckIn:
    return CheckIn.objects.create(
        user=user,
        client_id=uuid.uuid4(),
        date=timezone.now().date() - timedelta(days=days_ago),
        first_step_pain=pain,
        answered_at=timezone.now(),
        **extra,
    )


def test_export_json_has_my_data_only(runner, runner_client: Client) -> None:
    _checkin(runner, 0, 3, locations=["arch"], numbness=True)
    _checkin(make_runner("other@example.org"), 0, 9)
    response = runner_client.get("/accounts/export.json")
    assert response["Content-Disposition"].startswith('attachment; filename="footing-')
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.getvalue())
    assert data["account"]["username"] == "runner@example.org"
    assert [c["first_step_pain"] for c in data["checkins"]] == [3]
    assert data["checkins"][0]["red_flags"] == ["numbness"]
    assert data["sessions"] == []


def test_export_csv_is_one_row_per_morning(runner, runner_client: Client) -> None:
    _checkin(runner, 1, 5, locations=["arch", "calf"])
    _checkin(runner, 0, 3)
    response = runner_client.get("/accounts/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [row["first_step_pain"] for row in rows] == ["3", "5"]
    assert rows[1]["locations"] == "arch calf"


def test_delete_needs_the_password_then_removes_everything(runner, runner_client: Client) -> None:
    _checkin(runner, 0, 3)
    other = make_runner("other@example.org")
    _checkin(other, 0, 4)
    for _ in range(2):
        login(Client(), runner.username.upper(), "wrong")
    assert AccessAttempt.objects.filter(username=runner.username).exists()
    refused = runner_client.post("/accounts/delete/", {"password": "wrong"})
    assert "That is not your password" in refused.content.decode()
    assert User.objects.filter(pk=runner.pk).exists()

    done = runner_client.post("/accounts/delete/", {"password": PASSWORD})
    assert "Your account is deleted" in done.content.decode()
    assert not User.objects.filter(pk=runner.pk).exists()
    assert not Profile.objects.filter(user_id=runner.pk).exists()
    assert list(CheckIn.objects.values_list("user__username", flat=True)) == ["other@example.org"]
    assert not AccessAttempt.objects.filter(username=runner.username).exists()
    assert runner_client.get("/api/v1/me").status_code == 401
