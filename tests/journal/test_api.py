"""/api/v1/checkins and /api/v1/me: own data only, validation with field and reason, replays."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from footing import dates
from journal.models import CheckIn
from tests.journal.conftest import make_runner

pytestmark = pytest.mark.django_db
URL = "/api/v1/checkins"


def today() -> str:
    return timezone.now().date().isoformat()


def body(**overrides: object) -> dict:
    return {"client_id": str(uuid.uuid4()), "date": today(), "first_step_pain": 4} | overrides


def post(client: Client, data: dict):
    return client.post(URL, json.dumps(data), content_type="application/json")


def put(client: Client, url: str, data: dict):
    return client.put(url, json.dumps(data), content_type="application/json")


def test_minimal_body_creates_then_replay_returns_the_same_row(runner_client: Client) -> None:
    data = body()
    first = post(runner_client, data)
    assert first.status_code == 201, first.content
    replay = post(runner_client, data)
    assert replay.status_code == 200
    assert replay.json()["id"] == first.json()["id"] == data["client_id"]
    assert CheckIn.objects.count() == 1


def test_response_carries_the_assessment(runner_client: Client) -> None:
    response = post(runner_client, body(red_flags=["leg_pain_not_easing"]))
    assessment = response.json()["assessment"]
    assert assessment["triage"]["urgency"] == "emergency"
    assert assessment["triage"]["title"] == "Get emergency care now"
    assert assessment["advice"]["rule"] == "red-flag"


def test_full_body_round_trips(runner_client: Client) -> None:
    data = body(
        locations=["inner-heel", "arch"],
        stiffness_minutes=15,
        activity="run",
        distance_km=8.5,
        pain_during=3,
        pain_after=2,
        red_flags=["numbness"],
    )
    created = post(runner_client, data).json()
    got = runner_client.get(f"{URL}/{data['client_id']}").json()
    assert got == created
    assert got["locations"] == ["inner-heel", "arch"]
    assert got["distance_km"] == 8.5
    assert got["red_flags"] == ["numbness"]


def test_a_second_checkin_the_same_day_edits_the_first(runner_client: Client) -> None:
    first = post(runner_client, body(first_step_pain=6)).json()
    second = post(runner_client, body(first_step_pain=3))
    assert second.status_code == 200
    assert second.json()["id"] == first["id"]
    assert CheckIn.objects.get().first_step_pain == 3


def test_an_older_answer_replayed_late_does_not_overwrite_a_newer_one(
    runner_client: Client,
) -> None:
    now = timezone.now()
    post(runner_client, body(first_step_pain=3, answered_at=now.isoformat()))
    late = body(first_step_pain=7, answered_at=(now - timedelta(hours=2)).isoformat())
    assert post(runner_client, late).status_code == 200
    assert CheckIn.objects.get().first_step_pain == 3


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"first_step_pain": 11}, "first_step_pain", "less than or equal to 10"),
        ({"first_step_pain": -1}, "first_step_pain", "greater than or equal to 0"),
        ({"pain_during": 12, "activity": "run"}, "pain_during", "less than or equal to 10"),
        ({"date": (timezone.now().date() + timedelta(days=2)).isoformat()}, "date", "future"),
        ({"client_id": "not-a-uuid"}, "client_id", "UUID"),
        ({"locations": ["knee"]}, "locations.0", "heel-centre"),
        ({"red_flags": ["headache"]}, "flags", "Unknown red flag"),
        ({"pain_after": 3}, "pain_after", "needs a run"),
        ({"distance_km": 5, "activity": "cross"}, "distance_km", "needs a run"),
        ({"activity": "swim"}, "activity", "Input should be"),
        ({"first_step_pain": None}, "first_step_pain", "valid integer"),
    ],
)
def test_bad_input_is_422_with_field_and_reason(
    runner_client: Client, change: dict, field: str, reason: str
) -> None:
    response = post(runner_client, body(**change))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert reason in response.json()["detail"]
    assert CheckIn.objects.count() == 0


def test_missing_required_fields_are_named(runner_client: Client) -> None:
    response = post(runner_client, {"date": today()})
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"client_id", "first_step_pain"} <= fields


def test_list_shows_only_my_own(runner_client: Client, other_client: Client) -> None:
    post(other_client, body())
    mine = post(runner_client, body()).json()
    listed = runner_client.get(URL).json()["results"]
    assert [item["id"] for item in listed] == [mine["id"]]


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_runners_checkin_is_404(
    runner_client: Client, other_client: Client, method: str
) -> None:
    theirs = post(other_client, body()).json()
    url = f"{URL}/{theirs['id']}"
    if method == "put":
        response = put(runner_client, url, {"date": today(), "first_step_pain": 1})
    else:
        response = getattr(runner_client, method)(url)
    assert response.status_code == 404
    assert CheckIn.objects.get().first_step_pain == 4


def test_reusing_someone_elses_uuid_never_touches_their_row(
    runner_client: Client, other_client: Client
) -> None:
    data = body(first_step_pain=8)
    post(other_client, data)
    response = post(runner_client, data | {"first_step_pain": 1})
    assert response.status_code == 201
    assert sorted(CheckIn.objects.values_list("first_step_pain", flat=True)) == [1, 8]


def test_put_edits_and_delete_removes(runner_client: Client) -> None:
    data = body()
    post(runner_client, data)
    url = f"{URL}/{data['client_id']}"
    edited = put(runner_client, url, {"date": today(), "first_step_pain": 2, "locations": ["toes"]})
    assert edited.status_code == 200
    assert edited.json()["locations"] == ["toes"]
    assert runner_client.delete(url).status_code == 204
    assert runner_client.get(url).status_code == 404


def test_put_onto_a_day_that_has_a_checkin_is_409(runner_client: Client) -> None:
    yesterday = (timezone.now().date() - timedelta(days=1)).isoformat()
    post(runner_client, body(date=yesterday))
    data = body()
    post(runner_client, data)
    response = put(
        runner_client, f"{URL}/{data['client_id']}", {"date": yesterday, "first_step_pain": 1}
    )
    assert response.status_code == 409
    assert response.json()["field"] == "date"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", URL),
        ("post", URL),
        ("get", f"{URL}/{uuid.uuid4()}"),
        ("put", f"{URL}/{uuid.uuid4()}"),
        ("delete", f"{URL}/{uuid.uuid4()}"),
        ("get", "/api/v1/me"),
    ],
    # Named, not shown: random ids would differ between pytest-xdist's processes.
    ids=["list", "add", "read-one", "replace-one", "delete-one", "me"],
)
def test_anonymous_is_refused(db: None, method: str, path: str) -> None:
    client = Client()
    if method in {"post", "put"}:
        response = getattr(client, method)(
            path, json.dumps(body()), content_type="application/json"
        )
    else:
        response = getattr(client, method)(path)
    assert response.status_code in {401, 403}
    assert CheckIn.objects.count() == 0


def test_writes_need_the_csrf_token(runner) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(runner)
    assert post(client, body()).status_code == 403
    client.get("/checkin/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL, json.dumps(body()), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_me_says_who_and_what_day_it_is_for_them(db: None) -> None:
    user = make_runner("kiwi@example.org", time_zone="Pacific/Auckland", distance_unit="mi")
    client = Client()
    client.force_login(user)
    me = client.get("/api/v1/me").json()
    assert me["username"] == "kiwi@example.org"
    assert me["profile"]["distance_unit"] == "mi"
    assert me["profile"]["time_zone"] == "Pacific/Auckland"
    expected = timezone.now().astimezone(ZoneInfo("Pacific/Auckland")).date()
    assert me["today"] == expected.isoformat()
    # Their day in the pages' words, for the check-in shell (no year: it is this year there).
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        assert me["today_label"] == dates.day(expected)
    assert str(expected.year) not in me["today_label"]


def test_list_and_detail_queries_do_not_grow(
    runner_client: Client, django_assert_max_num_queries
) -> None:
    ids = [
        post(
            runner_client, body(date=(timezone.now().date() - timedelta(days=n)).isoformat())
        ).json()["id"]
        for n in range(30)
    ]
    with django_assert_max_num_queries(3):  # session, person with profile, the page
        assert len(runner_client.get(URL).json()["results"]) == 30
    with django_assert_max_num_queries(4):  # session, person with profile, it, the trend
        runner_client.get(f"{URL}/{ids[0]}")
