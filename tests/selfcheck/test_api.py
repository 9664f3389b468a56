from __future__ import annotations

import pytest
from django.test import Client

from tests.selfcheck.profiles import PROFILES, walk

pytestmark = pytest.mark.django_db
URL = "/api/v1/self-check"


def post(client: Client, body: object):
    return client.post(URL, body, content_type="application/json")


def test_questions_are_listed_red_flags_first(client: Client, clinic_content: None) -> None:
    response = client.get(URL)

    assert response.status_code == 200
    questions = response.json()
    assert set(questions[0]) == {"id", "text", "red_flag"}
    assert questions[0] == {
        "id": "rf-cant-bear-weight",
        "text": "Is it too painful to take four steps on that foot?",
        "red_flag": True,
    }
    flags = [q["red_flag"] for q in questions]
    assert flags[:8] == [True] * 8 and False in flags


def test_answers_rank_conditions_with_reasons(client: Client, clinic_content: None) -> None:
    response = post(client, {"answers": {"heel-pain": "yes", "heel-cup-eases": "yes"}})

    assert response.status_code == 200
    body = response.json()
    assert body["red_flags"] == []
    top = body["conditions"][0]
    assert (top["slug"], top["score"], top["routines"]) == ("fat-pad-syndrome", 6, True)
    assert "You said cupping your heel eases the pain." in top["because"][1]


def test_a_red_flag_comes_first_and_no_routine_is_offered(
    client: Client, clinic_content: None
) -> None:
    response = post(
        client,
        {"answers": {"rf-calf-after-travel": "yes", "heel-pain": "yes", "morning-hobble": "yes"}},
    )

    body = response.json()
    assert body["red_flags"] == [
        {
            "id": "rf-calf-after-travel",
            "urgency": "today",
            "reason": body["red_flags"][0]["reason"],
            "answer": "yes",
        }
    ]
    assert "blood clot" in body["red_flags"][0]["reason"]
    assert body["conditions"][0]["slug"] == "plantar-fasciitis"
    assert not any(c["routines"] for c in body["conditions"])


def test_compartment_syndrome_never_offers_a_routine(client: Client, clinic_content: None) -> None:
    body = post(client, {"answers": {"calf-ache-running": "yes"}}).json()

    assert body == {
        "red_flags": [],
        "see_doctor": [
            {"id": "calf-ache-running", "reason": body["see_doctor"][0]["reason"]},
        ],
        "conditions": [
            {
                "slug": "posterior-compartment-syndrome",
                "score": 4,
                "because": ["You said you get a deep ache in your calf while you run."],
                "routines": False,
            }
        ],
    }


def test_without_content_loaded_nothing_offers_a_routine(client: Client, db: None) -> None:
    body = post(client, {"answers": {"heel-pain": "yes", "morning-hobble": "yes"}}).json()

    assert body["conditions"][0]["slug"] == "plantar-fasciitis"
    assert body["conditions"][0]["routines"] is False


@pytest.mark.parametrize("profile", PROFILES[:6], ids=[p.name for p in PROFILES[:6]])
def test_the_api_agrees_with_the_profiles(client: Client, clinic_content: None, profile) -> None:
    from selfcheck.selectors import selfcheck_rules

    body = post(client, {"answers": walk(selfcheck_rules(), profile.symptoms)}).json()

    assert body["conditions"][0]["slug"] == profile.top


def test_an_unknown_question_is_a_clear_422(client: Client, clinic_content: None) -> None:
    response = post(client, {"answers": {"knee-pain": "yes"}})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "There is no self-check question 'knee-pain'.",
        "field": "knee-pain",
    }


def test_an_unknown_answer_is_a_clear_422(client: Client, clinic_content: None) -> None:
    response = post(client, {"answers": {"heel-pain": "maybe"}})

    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "answers.heel-pain"
    assert "'yes', 'no' or 'unsure'" in body["detail"]


@pytest.mark.parametrize("body", [{}, {"answers": ["heel-pain"]}, {"answers": {"heel-pain": 1}}])
def test_malformed_bodies_are_422(client: Client, clinic_content: None, body: object) -> None:
    assert post(client, body).status_code == 422


def test_evaluating_needs_no_login_or_csrf_token(clinic_content: None) -> None:
    strict = Client(enforce_csrf_checks=True)

    assert post(strict, {"answers": {}}).json() == {
        "red_flags": [],
        "see_doctor": [],
        "conditions": [],
    }


def test_a_heel_pain_with_a_calf_ache_sends_to_a_doctor_not_a_routine(
    client: Client, clinic_content: None
) -> None:
    answers = {"heel-pain": "yes", "morning-hobble": "yes", "calf-ache-running": "yes"}
    body = post(client, {"answers": answers}).json()
    assert [note["id"] for note in body["see_doctor"]] == ["calf-ache-running"]
    assert "sports medicine doctor" in body["see_doctor"][0]["reason"]
    assert not any(c["routines"] for c in body["conditions"])
