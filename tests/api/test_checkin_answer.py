"""A check-in's answer is built by hand (api.journal.checkin_answer, for speed): it must be
exactly what the CheckInDetailOut schema itself makes of the stored row, for any check-in
— any answers, red flags, activity, earlier mornings and main problem."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from api.journal import RENDERER, CheckInDetailOut, checkin_answer
from journal import selectors, services
from journal.advice import ACTIVE, RED_FLAG_FIELDS
from journal.models import Activity, CheckIn, Location
from library.models import Condition
from tests.logins import CSRF, logged_in


class SchemaOwnAnswer(CheckInDetailOut):
    """The schema filled from the model by ninja, as the routes did before."""

    @staticmethod
    def resolve_assessment(obj: CheckIn) -> object:
        return selectors.checkin_assessment(checkin=obj)


def schema_own_answer(checkin: CheckIn) -> bytes:
    stored = CheckIn.objects.select_related("user").get(pk=checkin.pk)
    data = SchemaOwnAnswer.from_orm(stored).model_dump()
    return RENDERER.render(HttpRequest(), data, response_status=200).encode()


@st.composite
def mornings(draw: st.DrawFn) -> tuple[services.Answers, list[tuple[int, int, int | None]]]:
    today = timezone.localdate()
    activity = draw(st.sampled_from(["", *Activity.values]))
    active = activity in ACTIVE
    pain = st.integers(0, 10)
    answers = services.Answers(
        date=today,
        first_step_pain=draw(pain),
        locations=tuple(draw(st.lists(st.sampled_from(Location.values), unique=True))),
        stiffness_minutes=draw(st.none() | st.integers(0, 24 * 60)),
        activity=activity,
        distance_km=draw(
            st.none() | st.decimals(0, 300, places=2).map(Decimal)
            if activity == Activity.RUN
            else st.none()
        ),
        pain_during=draw(st.none() | pain) if active else None,
        pain_after=draw(st.none() | pain) if active else None,
        walking_pain_free=draw(st.none() | st.booleans()),
        flags=frozenset(draw(st.lists(st.sampled_from(RED_FLAG_FIELDS), unique=True))),
        flags_answered=draw(st.booleans()),
    )
    earlier = draw(
        st.lists(
            st.tuples(st.integers(1, 30), pain, st.none() | st.integers(0, 120)),
            unique_by=lambda row: row[0],
            max_size=16,
        )
    )
    return answers, earlier


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    # The content is only read; each example makes its own person.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(morning=mornings(), problem=st.data())
def test_the_built_answer_is_the_schemas_own(
    clinic_content: None, morning: tuple[services.Answers, list], problem: st.DataObject
) -> None:
    answers, earlier = morning
    slugs = sorted(Condition.objects.values_list("slug", flat=True))
    user = User.objects.create(username=uuid.uuid4().hex)
    Profile.objects.create(
        user=user, main_condition=problem.draw(st.sampled_from(["", "not-a-condition", *slugs]))
    )
    for days_before, pain, stiffness in earlier:
        CheckIn.objects.create(
            user=user,
            client_id=uuid.uuid4(),
            date=answers.date - timedelta(days=days_before),
            first_step_pain=pain,
            stiffness_minutes=stiffness,
            answered_at=timezone.now() - timedelta(days=days_before),
        )
    user = User.objects.select_related("profile").get(pk=user.pk)

    checkin, created = services.checkin_record(user=user, client_id=uuid.uuid4(), answers=answers)
    built = checkin_answer(HttpRequest(), checkin, status=201 if created else 200)

    assert built.content == schema_own_answer(checkin)
    assert built["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.django_db
def test_every_route_answering_a_check_in_answers_the_schemas_own(
    clinic_content: None,
) -> None:
    user = User.objects.create_user("answers@example.org", password="a-long-password-1")
    Profile.objects.create(user=user, main_condition="plantar-fasciitis")
    client = logged_in(user)
    today = str(timezone.localdate())
    client_id = str(uuid.uuid4())
    body = {
        "client_id": client_id,
        "date": today,
        "first_step_pain": 4,
        "red_flags": [],
        "answered_at": timezone.now().isoformat(),
    }

    def send(method: str, path: str, data: dict[str, object] | None = None):
        return client.generic(
            method,
            path,
            json.dumps(data) if data is not None else "",
            content_type="application/json",
            headers={"x-csrftoken": CSRF},
        )

    def stored() -> CheckIn:
        return CheckIn.objects.get(user=user)

    created = send("POST", "/api/v1/checkins", body)
    assert created.status_code == 201
    assert created.content == schema_own_answer(stored())
    replayed = send("POST", "/api/v1/checkins", body)
    read = send("GET", f"/api/v1/checkins/{client_id}")
    assert (replayed.status_code, read.status_code) == (200, 200)
    assert replayed.content == read.content == schema_own_answer(stored())
    edited = send("PUT", f"/api/v1/checkins/{client_id}", body | {"first_step_pain": 7})
    assert edited.status_code == 200
    assert edited.content == schema_own_answer(stored())
    assert json.loads(edited.content)["first_step_pain"] == 7
