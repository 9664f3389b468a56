"""/checkin/, its result, /progress/: own data only, forms without JavaScript, htmx partials."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from journal.advice import RED_FLAGS, URGENCY_DO, Urgency
from journal.models import CheckIn
from tests.journal.conftest import make_runner

NONE = "no_red_flags"

pytestmark = pytest.mark.django_db


def today():
    return timezone.now().date()


# /checkin/ itself is a shell, the same for everyone (tests/test_caching.py); the form the
# server fills in for someone without JavaScript is "?plain".
@pytest.mark.parametrize(
    "path", ["/checkin/?plain", "/progress/", f"/checkin/{timezone.now().date()}/"]
)
def test_pages_need_a_login(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_checkin_page_has_the_questions(runner_client: Client) -> None:
    html = runner_client.get("/checkin/").content.decode()
    for n in range(11):
        assert f'name="first_step_pain" value="{n}"' in html
    for label in ("Heel centre", "Inner heel", "Arch", "Ball of foot", "Toes", "Calf"):
        assert label in html
    for flag in RED_FLAGS:
        assert escape(flag.question) in html
    assert "None of these" in html
    assert "Save check-in" in html


def test_the_warning_signs_come_right_after_the_pain_before_anything_optional(
    runner_client: Client,
) -> None:
    html = runner_client.get("/checkin/").content.decode()
    pain = html.index('name="first_step_pain"')
    signs = html.index('id="warning-signs"')
    none = html.index('name="no_red_flags"')
    assert pain < signs < none < html.index('name="locations"') < html.index('name="activity"')
    assert none < html.index(f'name="{RED_FLAGS[0].field}"')  # "None" first: one tap
    assert signs < html.index('class="save-bar"')


def test_the_warning_signs_must_be_answered_on_the_page(runner_client: Client) -> None:
    response = runner_client.post(
        "/checkin/", {"date": today().isoformat(), "first_step_pain": "2"}
    )
    assert response.status_code == 422
    assert "None of these" in response.content.decode()
    both = runner_client.post(
        "/checkin/",
        {
            "date": today().isoformat(),
            "first_step_pain": "2",
            "numbness": "on",
            NONE: "on",
        },
    )
    assert both.status_code == 422
    assert "You ticked a warning sign" in both.content.decode()
    assert not CheckIn.objects.exists()


def test_a_minimal_check_in_is_pain_none_save(runner_client: Client) -> None:
    response = runner_client.post(
        "/checkin/", {"date": today().isoformat(), "first_step_pain": "2", NONE: "on"}
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.red_flags_answered and not any(getattr(checkin, f.field) for f in RED_FLAGS)


def test_posting_the_form_saves_and_shows_the_result(runner_client: Client) -> None:
    response = runner_client.post(
        "/checkin/",
        {
            "date": today().isoformat(),
            "first_step_pain": "3",
            "locations": ["inner-heel"],
            "activity": "run",
            "distance": "5",
            "pain_during": "2",
            "pain_after": "1",
            NONE: "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/checkin/{today()}/"
    checkin = CheckIn.objects.get()
    assert (checkin.first_step_pain, checkin.locations, checkin.pain_during) == (
        3,
        ["inner-heel"],
        2,
    )
    result = runner_client.get(response["Location"]).content.decode()
    # The first check-in is a welcome, not a verdict; with no main problem set, it says
    # how to find one rather than give load advice.
    assert "Your first check-in is in" in result
    assert 'href="/self-check/"' in result
    assert "Get emergency care now" not in result
    for code in ("AMBER", "Amber", "HOLD", "Rule:", "hold ·", "· hold"):
        assert code not in result


def test_a_first_check_in_with_a_known_condition_is_a_starting_point(db: None) -> None:
    client = Client()
    client.force_login(make_runner(main_condition="plantar-fasciitis"))
    client.post("/checkin/", {"date": today().isoformat(), "first_step_pain": "3", NONE: "on"})
    result = client.get(f"/checkin/{today()}/").content.decode()
    assert "Your first check-in is in" in result and "Your starting point" in result
    assert "after 3 mornings" in result


def test_hidden_answers_are_dropped_when_the_runner_picks_rest(runner_client: Client) -> None:
    runner_client.post(
        "/checkin/",
        {
            "date": today().isoformat(),
            "first_step_pain": "2",
            "activity": "rest",
            "pain_during": "7",
            NONE: "on",
        },
    )
    assert CheckIn.objects.get().pain_during is None


def test_red_flags_come_before_advice(runner_client: Client) -> None:
    runner_client.post(
        "/checkin/",
        {
            "date": today().isoformat(),
            "first_step_pain": "1",
            "numbness": "on",
            "fever_hot_foot": "on",
        },
    )
    html = runner_client.get(f"/checkin/{today()}/").content.decode()
    assert html.index("Get emergency care now") < html.index("advice-title")
    assert "A hot, red, swollen foot" in html and "Numbness or tingling can mean" in html
    # Actionable: the emergency number as a tap-to-call link with its meaning, and booking.
    assert 'href="tel:911"' in html and "emergency services" in html
    assert URGENCY_DO[Urgency.EMERGENCY] in html.replace("&#x27;", "'")
    assert "Book a time" in html


def test_miles_are_stored_as_km(db: None) -> None:
    user = make_runner(distance_unit="mi")
    client = Client()
    client.force_login(user)
    client.post(
        "/checkin/",
        {
            "date": today().isoformat(),
            "first_step_pain": "2",
            "activity": "run",
            "distance": "5",
            NONE: "on",
        },
    )
    assert str(CheckIn.objects.get().distance_km) == "8.05"
    assert "Run, 5.0 mi" in client.get(f"/checkin/{today()}/").content.decode()


def test_a_future_date_is_refused_on_the_page(runner_client: Client) -> None:
    response = runner_client.post(
        "/checkin/",
        {"date": (today() + timedelta(days=3)).isoformat(), "first_step_pain": "2", NONE: "on"},
    )
    assert response.status_code == 422
    assert "in the future" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_second_visit_the_same_day_edits(runner_client: Client) -> None:
    runner_client.post(
        "/checkin/?plain", {"date": today().isoformat(), "first_step_pain": "6", NONE: "on"}
    )
    html = runner_client.get("/checkin/?plain").content.decode()
    assert "you checked in today" in html
    assert (
        'value="6" checked' in html
        or 'checked value="6"' in html
        or ('name="first_step_pain" value="6"' in html and "checked" in html)
    )
    runner_client.post(
        "/checkin/", {"date": today().isoformat(), "first_step_pain": "4", NONE: "on"}
    )
    assert CheckIn.objects.get().first_step_pain == 4


def test_someone_elses_result_is_404(runner_client: Client, other_client: Client) -> None:
    other_client.post(
        "/checkin/", {"date": today().isoformat(), "first_step_pain": "6", NONE: "on"}
    )
    assert runner_client.get(f"/checkin/{today()}/").status_code == 404
    assert runner_client.get("/checkin/not-a-date/").status_code == 404


def test_progress_page_and_its_htmx_partial(runner, runner_client: Client) -> None:
    for n in range(10):
        CheckIn.objects.create(
            user=runner,
            client_id=uuid.uuid4(),
            date=today() - timedelta(days=n),
            first_step_pain=n % 5,
            answered_at=timezone.now(),
        )
    page = runner_client.get("/progress/?days=30")
    html = page.content.decode()
    assert "<svg" in html and html.count('class="pain-dot"') == 10
    assert "<html" in html and "7-day average" in html
    assert "Vary" in page and "HX-Request" in page["Vary"]
    partial = runner_client.get("/progress/?days=90", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<div id="trend"')
    assert "last 90 days" in body


def test_progress_days_are_limited_to_the_choices(runner_client: Client) -> None:
    html = runner_client.get("/progress/?days=5000").content.decode()
    assert "last 14 days" in html


def test_progress_page_queries_do_not_grow_with_days(
    runner, runner_client: Client, django_assert_max_num_queries
) -> None:
    for n in range(60):
        CheckIn.objects.create(
            user=runner,
            client_id=uuid.uuid4(),
            date=today() - timedelta(days=n),
            first_step_pain=3,
            answered_at=timezone.now(),
        )
    runner_client.get("/progress/?days=14")  # a session's first page also reads the time zone
    with django_assert_max_num_queries(12):
        runner_client.get("/progress/?days=90")


def test_health_pages_stay_out_of_the_phones_page_cache(runner_client: Client) -> None:
    runner_client.post(
        "/checkin/", {"date": today().isoformat(), "first_step_pain": "2", NONE: "on"}
    )
    for path in ("/progress/", f"/checkin/{today()}/", "/accounts/profile/"):
        assert "no-store" in runner_client.get(path)["Cache-Control"], path
    # The form itself must open offline, so the service worker may keep it.
    assert "no-store" not in runner_client.get("/checkin/").get("Cache-Control", "")


def test_the_shell_holds_nobodys_answers_and_the_plain_form_is_never_kept(
    runner_client: Client,
) -> None:
    runner_client.post(
        "/checkin/", {"date": today().isoformat(), "first_step_pain": "9", "numbness": "on"}
    )
    shell = runner_client.get("/checkin/")
    html = shell.content.decode()
    # No answer is ticked, and the day line says nothing of whose morning it is: it holds a
    # no-break space, the second-check-in words only as data for checkin.js and, unseen, as
    # the line's reserved width (the same bytes for everyone).
    assert not re.search(r"<input[^>]*\bchecked\b", html)
    assert '<span data-slot="day" data-again="you checked in today' in html
    assert re.search(r'data-slot="day"[^>]*>&nbsp;</span>', html)
    shown = re.sub(r'<span class="day-line-room" aria-hidden="true">[^<]*</span>', "", html)
    assert ">you checked in today" not in shown and "· you checked in today" not in shown
    assert "csrfmiddlewaretoken" not in html
    plain = runner_client.get("/checkin/?plain")
    assert plain["Cache-Control"] == "private, no-store"
    assert "csrfmiddlewaretoken" in plain.content.decode()


def test_bone_rules_follow_the_profiles_condition(db: None) -> None:
    user = make_runner(main_condition="stress-fracture")
    client = Client()
    client.force_login(user)
    client.post(
        "/checkin/",
        {
            "date": today().isoformat(),
            "first_step_pain": "0",
            "activity": "run",
            "pain_during": "2",
            NONE: "on",
        },
    )
    html = client.get(f"/checkin/{today()}/").content.decode()
    assert "Step back" in html and "no pain at the injury site" in html
    assert 'href="/return-to-running/"' in html
