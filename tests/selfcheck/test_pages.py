from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcheck.models import SelfCheckResult
from selfcheck.selectors import selfcheck_rules
from tests.selfcheck.profiles import PROFILES, walk

pytestmark = pytest.mark.django_db
URL = "/self-check/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def form(answers: dict[str, str], **extra: str) -> dict:
    return {"a": [f"{k}:{v}" for k, v in answers.items()], **extra}


def question_id(html: str) -> str:
    return re.search(r'name="question" value="([a-z0-9-]+)"', html).group(1)


def screen(html: str) -> str:
    """The self-check screen alone (the tab bar and the offline data link routines too)."""
    return re.search(r'<section id="selfcheck-screen".*?</section>', html, re.S).group(0)


def finish(client: Client, symptoms: dict[str, str], **headers) -> str:
    """Tap through the whole check as a browser without JavaScript would; the result screen."""
    html = client.get(URL).content.decode()
    answers: dict[str, str] = {}
    for _ in range(45):  # the longest path: every red flag, the screening, 16 more
        if 'data-screen="result"' in html:
            return screen(html)
        asked = question_id(html)
        answer = symptoms.get(asked, "no")
        html = client.post(URL, form(answers, question=asked, answer=answer), **headers)
        html = html.content.decode()
        answers[asked] = answer
    raise AssertionError("the check did not finish")


def test_the_page_starts_with_the_first_red_flag_and_ships_the_rules(
    client: Client, clinic_content: None
) -> None:
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert question_id(html) == "rf-cant-bear-weight"
    assert 'Question <span data-slot="number">1</span> of about' in html
    assert "Safety question" in html
    assert 'name="back"' in html and "hidden>‹ Back" in html  # nothing to go back to yet
    # The rules for offline use: JSON, not script (the CSP allows no inline script).
    data = re.search(
        r'<script id="selfcheck-data" type="application/json">(.*?)</script>', html, re.S
    )
    client_data = json.loads(data.group(1))
    assert client_data["rules"] == selfcheck_rules().as_json()
    assert client_data["doctor_first"] == ["posterior-compartment-syndrome"]
    assert client_data["pages"]["posterior-compartment-syndrome"]["routines"] == []
    assert client_data["pages"]["plantar-fasciitis"]["url"] == "/conditions/plantar-fasciitis/"
    # The page's module (app.js loads js/selfcheck.js for it) and its stylesheet.
    assert 'data-module="selfcheck"' in html and "css/selfcheck." in html
    assert response["Vary"].count("HX-Request") == 1


def test_the_home_page_offers_the_check_first(client: Client, clinic_content: None) -> None:
    html = client.get("/").content.decode()

    actions = re.findall(r'<a class="action" href="([^"]+)"', html)
    assert actions[0] == URL
    assert "Check your symptoms" in html


def test_htmx_gets_only_the_next_screen(client: Client, clinic_content: None) -> None:
    response = client.post(URL, form({}, question="rf-cant-bear-weight", answer="no"), **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="selfcheck-screen"')
    assert "<html" not in html and "selfcheck-data" not in html
    assert question_id(html) == "rf-hot-red-fever"
    assert 'value="rf-cant-bear-weight:no"' in html
    assert 'Question <span data-slot="number">2</span>' in html


def test_back_shows_the_previous_question_again(client: Client, clinic_content: None) -> None:
    answers = {"rf-cant-bear-weight": "no", "rf-hot-red-fever": "no"}

    html = client.post(URL, form(answers, question="rf-saddle-numbness", back="1"), **HTMX)

    html = html.content.decode()
    assert question_id(html) == "rf-hot-red-fever"
    assert 'value="rf-hot-red-fever:no"' not in html
    assert 'value="rf-cant-bear-weight:no"' in html


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
def test_every_profile_finishes_without_javascript(
    client: Client, clinic_content: None, profile
) -> None:
    html = finish(client, profile.symptoms)

    if profile.top:
        first = re.search(r'class="sc-match" data-slug="([a-z-]+)"', html).group(1)
        assert first == profile.top
        assert f'href="/conditions/{profile.top}/"' in html
    else:
        assert "sc-match" not in html
    if profile.urgency:
        title = "Get emergency care now" if profile.urgency == "emergency" else "See a doctor today"
        assert title in html
        assert html.index(title) < html.index("sports medicine doctor")
        assert "/routines/" not in html
    assert "See a sports medicine doctor" in html


def test_a_plantar_fasciitis_result_links_its_page_and_routines(
    client: Client, clinic_content: None
) -> None:
    html = finish(client, PROFILES[0].symptoms, **HTMX)

    assert "What your answers point to" in html
    assert "You said you hobble on your first steps in the morning." in html
    assert 'href="/routines/plantar-fasciitis-pain-management/"' in html
    assert "Get emergency care now" not in html and "See a doctor today" not in html


def test_compartment_syndrome_gets_the_doctor_first_message_and_no_routine(
    client: Client, clinic_content: None
) -> None:
    symptoms = {"heel-pain": "no", "forefoot-pain": "no", "calf-ache-running": "yes"}

    html = finish(client, symptoms)

    assert 'data-slug="posterior-compartment-syndrome"' in html
    assert "Footing gives no exercises for this on purpose" in html
    assert "/routines/" not in html


def test_a_tampered_form_starts_again_with_a_clear_message(
    client: Client, clinic_content: None
) -> None:
    response = client.post(URL, form({"knee": "yes"}, question="heel-pain", answer="yes"))

    assert response.status_code == 422
    html = response.content.decode()
    assert "There is no self-check question &#x27;knee&#x27;. Please start again." in html
    assert question_id(html) == "rf-cant-bear-weight"


def test_a_question_screen_takes_a_fixed_number_of_queries(
    client: Client, clinic_content: None
) -> None:
    with CaptureQueriesContext(connection) as few:
        client.post(URL, form({}, question="rf-cant-bear-weight", answer="no"), **HTMX)
    answers = walk(selfcheck_rules(), PROFILES[0].symptoms)
    last = answers.popitem()
    with CaptureQueriesContext(connection) as result:
        client.post(URL, form(answers, question=last[0], answer=last[1]), **HTMX)

    assert len(few) == len(result) <= 3


# --- Saving, for logged-in runners ----------------------------------------------------


@pytest.fixture
def runner(django_user_model):
    return django_user_model.objects.create_user("runner", password="a-long-password-1")


def test_only_logged_in_runners_see_save(client: Client, clinic_content: None, runner) -> None:
    answers = walk(selfcheck_rules(), PROFILES[0].symptoms)
    last = answers.popitem()
    body = form(answers, question=last[0], answer=last[1])

    assert "Save this result" not in client.post(URL, body).content.decode()
    client.force_login(runner)
    assert "Save this result" in client.post(URL, body).content.decode()


def test_saving_scores_again_on_the_server_and_keeps_the_result(
    client: Client, clinic_content: None, runner
) -> None:
    client.force_login(runner)
    answers = walk(selfcheck_rules(), PROFILES[0].symptoms)

    response = client.post("/self-check/save/", form(answers), **HTMX)

    assert response.status_code == 200
    assert "Saved to your account" in response.content.decode()
    saved = SelfCheckResult.objects.get(user=runner)
    assert saved.answers == answers
    assert saved.top_condition == "plantar-fasciitis"
    assert saved.urgency == ""
    assert saved.outcome["conditions"][0]["routines"] is True
    assert len(saved.rules_hash) == 64


def test_a_saved_red_flag_result_keeps_its_urgency(
    client: Client, clinic_content: None, runner
) -> None:
    client.force_login(runner)
    answers = walk(selfcheck_rules(), {"rf-saddle-numbness": "yes"})

    client.post("/self-check/save/", form(answers))

    saved = SelfCheckResult.objects.get(user=runner)
    assert saved.urgency == "emergency"
    assert saved.outcome["red_flags"][0]["id"] == "rf-saddle-numbness"


def test_an_unfinished_check_cannot_be_saved(client: Client, clinic_content: None, runner) -> None:
    client.force_login(runner)

    response = client.post("/self-check/save/", form({"rf-cant-bear-weight": "no"}))

    assert response.status_code == 422
    assert "Finish the self-check before saving it." in response.content.decode()
    assert not SelfCheckResult.objects.exists()


def test_saving_needs_a_login(client: Client, clinic_content: None) -> None:
    answers = walk(selfcheck_rules(), PROFILES[0].symptoms)

    response = client.post("/self-check/save/", form(answers))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not SelfCheckResult.objects.exists()


def test_saving_needs_the_csrf_token(clinic_content: None, runner) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(runner)
    answers = walk(selfcheck_rules(), PROFILES[0].symptoms)

    assert strict.post("/self-check/save/", form(answers)).status_code == 403


red_flag_ids = [q.id for q in selfcheck_rules().questions if q.red_flag]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    symptoms=st.dictionaries(
        st.sampled_from([q.id for q in selfcheck_rules().questions]),
        st.sampled_from(["yes", "no", "unsure"]),
    ),
    red_flag=st.sampled_from(
        [q.id for q in selfcheck_rules().questions if q.red_flag and not q.ask_if]
    ),
)
def test_any_red_flag_yes_puts_the_doctor_first_on_the_page_and_no_routine(
    client: Client, clinic_content: None, symptoms, red_flag
) -> None:
    html = finish(client, {**symptoms, red_flag: "yes"}, **HTMX)

    alert = html.index('class="sc-alert')
    assert "sc-match" not in html[:alert]
    assert "/routines/" not in html


def test_the_page_with_its_offline_rules_fits_the_first_round_trip(
    client: Client, clinic_content: None
) -> None:
    import gzip

    full = client.get(URL).content
    step = client.post(URL, form({}, question="rf-cant-bear-weight", answer="no"), **HTMX).content

    assert len(gzip.compress(full)) <= 14 * 1024
    assert len(gzip.compress(step)) <= 1024
