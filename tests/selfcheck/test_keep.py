"""The last self-check result a stranger did on the phone, kept at sign-up: exactly once,
scored by the server, as of when it was taken, and shown on home and progress."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcheck.models import SelfCheckResult
from selfcheck.selectors import selfcheck_result_last, selfcheck_rules
from selfcheck.services import selfcheck_result_keep
from tests.selfcheck.profiles import PROFILES, walk

pytestmark = pytest.mark.django_db
URL = "/api/v1/self-check/results"
NOW = datetime(2026, 12, 1, 7, 55, tzinfo=UTC)
PLANTAR = PROFILES[0]


@pytest.fixture
def runner(django_user_model):
    return django_user_model.objects.create_user("runner@example.org", password="a-long-pass-1")


def keep(client: Client, body: dict):
    return client.post(URL, body, content_type="application/json")


def body_for(symptoms: dict[str, str], **extra) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "answers": walk(selfcheck_rules(), symptoms),
        "taken_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
        **extra,
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(profile=st.sampled_from(PROFILES), sends=st.integers(min_value=1, max_value=4))
def test_a_kept_result_is_one_row_however_often_it_is_sent(
    clinic_content: None, runner, profile, sends
) -> None:
    SelfCheckResult.objects.all().delete()
    client_id = uuid.uuid4()
    answers = walk(selfcheck_rules(), profile.symptoms)
    taken = NOW - timedelta(hours=3)

    outcomes = [
        selfcheck_result_keep(
            user=runner, client_id=client_id, answers=answers, taken_at=taken, now=NOW
        )
        for _ in range(sends)
    ]

    assert [created for _, created in outcomes] == [True] + [False] * (sends - 1)
    kept = SelfCheckResult.objects.get(user=runner)
    assert {result.pk for result, _ in outcomes} == {kept.pk}
    assert kept.created_at == taken  # when the stranger did it, not when they signed up
    assert kept.top_condition == (profile.top or "")
    assert kept.urgency == (profile.urgency or "")


def test_the_api_keeps_it_once_and_answers_the_same_on_a_replay(
    client: Client, clinic_content: None, runner
) -> None:
    client.force_login(runner)
    body = body_for(PLANTAR.symptoms)

    first, replay = keep(client, body), keep(client, body)

    assert (first.status_code, replay.status_code) == (201, 200)
    assert first.json() == replay.json()
    assert first.json()["top_condition"] == "plantar-fasciitis"
    assert SelfCheckResult.objects.filter(user=runner).count() == 1


def test_the_server_scores_the_answers_itself(client: Client, clinic_content: None, runner) -> None:
    """What the phone said it pointed to is never taken: only the answers are sent."""
    client.force_login(runner)

    response = keep(client, body_for({"rf-saddle-numbness": "yes"}, urgency="", top="x"))

    assert response.status_code == 201
    assert response.json()["urgency"] == "emergency"  # from the answers, not the claim
    assert response.json()["top_condition"] == ""


def test_another_person_with_the_same_id_gets_their_own_result(
    client: Client, clinic_content: None, runner, django_user_model
) -> None:
    other = django_user_model.objects.create_user("other@example.org", password="a-long-pass-2")
    body = body_for(PLANTAR.symptoms)
    client.force_login(runner)
    keep(client, body)
    client.force_login(other)

    response = keep(client, body)

    assert response.status_code == 201
    assert SelfCheckResult.objects.filter(user=other).count() == 1
    assert SelfCheckResult.objects.filter(user=runner).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": {"rf-cant-bear-weight": "no"}}, "answers"),  # not finished
        ({"taken_at": "2026-12-01T07:55:00"}, "taken_at"),  # no zone
        ({"taken_at": "1999-12-31T23:00:00+00:00"}, "taken_at"),
        ({"taken_at": (datetime.now(UTC) + timedelta(days=3)).isoformat()}, "taken_at"),
        ({"client_id": "not-a-uuid"}, "client_id"),
    ],
)
def test_bad_input_names_its_field_and_keeps_nothing(
    client: Client, clinic_content: None, runner, change, field
) -> None:
    client.force_login(runner)

    response = keep(client, {**body_for(PLANTAR.symptoms), **change})

    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not SelfCheckResult.objects.exists()


def test_keeping_needs_a_login(client: Client, clinic_content: None) -> None:
    response = keep(client, body_for(PLANTAR.symptoms))

    assert response.status_code == 401
    assert not SelfCheckResult.objects.exists()


# --- On the phone until sign-up: the result screen says what to keep -------------------


def result_screen(client: Client, symptoms: dict[str, str]) -> str:
    answers = walk(selfcheck_rules(), symptoms)
    last = answers.popitem()
    body = {"a": [f"{k}:{v}" for k, v in answers.items()], "question": last[0], "answer": last[1]}
    html = client.post("/self-check/", body, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-screen="result"' in html
    return html


def on_phone(html: str) -> dict | None:
    found = re.search(r'data-on-phone="([^"]*)"', html)
    if found is None:
        return None
    return json.loads(found.group(1).replace("&quot;", '"'))


def test_a_strangers_result_carries_what_the_phone_keeps(
    client: Client, clinic_content: None
) -> None:
    html = result_screen(client, PLANTAR.symptoms)

    kept = on_phone(html)
    assert kept == {
        "answers": walk(selfcheck_rules(), PLANTAR.symptoms),
        "pointed_to": "Plantar fasciitis",
        "condition": "plantar-fasciitis",
        "urgency": "",
    }
    assert "Create an account</a> and it will be offered to you" in html


def test_a_logged_in_persons_result_is_not_kept_on_the_phone(
    client: Client, clinic_content: None, runner
) -> None:
    client.force_login(runner)

    html = result_screen(client, PLANTAR.symptoms)

    assert on_phone(html) is None  # they save it to their account instead
    assert "Save this result" in html


# --- Shown where the person looks: home and progress -----------------------------------


def test_home_and_progress_say_what_the_last_self_check_pointed_to(
    client: Client, clinic_content: None, runner
) -> None:
    client.force_login(runner)
    keep(client, body_for({"rf-saddle-numbness": "yes"}, taken_at="2026-11-20T08:00:00+00:00"))
    keep(client, body_for(PLANTAR.symptoms, taken_at="2026-11-30T08:00:00+00:00"))

    for page in ("/", "/progress/"):
        html = client.get(page).content.decode()
        card = re.search(r'<section class="callout selfcheck-last".*?</section>', html, re.S)
        assert card, page
        text = re.sub(r"<[^>]+>", "", card.group(0))
        assert "On Mon 30 Nov it pointed to Plantar fasciitis." in text  # the newest one
        assert "see a sports medicine doctor" in text


def test_a_warning_sign_result_says_to_see_a_doctor(
    client: Client, clinic_content: None, runner
) -> None:
    client.force_login(runner)
    keep(client, body_for({"rf-saddle-numbness": "yes"}))

    last = selfcheck_result_last(user=runner)

    assert last is not None and last.urgency == "emergency"
    assert "found a warning sign" in client.get("/").content.decode()


def test_nobody_else_sees_the_card(client: Client, clinic_content: None, runner) -> None:
    client.force_login(runner)
    keep(client, body_for(PLANTAR.symptoms))
    client.logout()

    assert "selfcheck-last" not in client.get("/").content.decode()
