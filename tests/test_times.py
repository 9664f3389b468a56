"""Times with a zone and inside bounds: the rule (footing/times.py) and the tables' guard."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from footing.errors import Invalid
from footing.times import AHEAD, EARLIEST, day_checked, time_checked
from journal.models import CheckIn
from tests.clinic.conftest import routine_content  # noqa: F401 (a fixture)
from training.models import SessionLog

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@given(st.datetimes(timezones=st.none() | st.timezones()))
def test_a_time_passes_only_with_a_zone_and_in_bounds(moment: datetime) -> None:
    aware = moment.tzinfo is not None and moment.utcoffset() is not None
    try:
        in_bounds = aware and EARLIEST <= moment <= NOW + AHEAD
    except OverflowError:
        in_bounds = False
    try:
        assert time_checked(moment, field="at", now=NOW) == moment
        assert in_bounds
    except Invalid as error:
        assert not in_bounds
        assert error.field == "at"


@given(st.dates())
def test_a_day_passes_only_in_bounds(day: date) -> None:
    in_bounds = EARLIEST.date() <= day <= (NOW + AHEAD).date()
    try:
        day_checked(day, field="date", now=NOW)
        assert in_bounds
    except Invalid as error:
        assert not in_bounds
        assert error.field == "date"


@pytest.mark.parametrize(
    ("moment", "says"),
    [
        (datetime(2026, 12, 1, 7, 0), "time zone"),
        (datetime(1999, 12, 31, 23, 59, tzinfo=UTC), "before 2000-01-01"),
        (NOW + AHEAD + timedelta(seconds=1), "future"),
    ],
)
def test_the_refusal_says_why(moment: datetime, says: str) -> None:
    with pytest.raises(Invalid, match=says):
        time_checked(moment, field="at", now=NOW)


def test_a_day_ahead_is_allowed_for_phones_east_of_the_server() -> None:
    kiribati = datetime(2026, 12, 2, 8, 0, tzinfo=ZoneInfo("Pacific/Kiritimati"))
    assert time_checked(kiribati, field="at", now=NOW) == kiribati
    assert day_checked(date(2026, 12, 2), field="date", now=NOW) == date(2026, 12, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [
        {"date": date(1, 1, 1)},
        {"date": date(2100, 1, 1)},
        {"answered_at": datetime(1, 1, 1, tzinfo=UTC)},
        {"answered_at": datetime(9999, 12, 31, tzinfo=UTC)},
    ],
)
def test_the_checkin_table_refuses_an_impossible_time(values: dict) -> None:
    user = User.objects.create_user("t")
    row = {"date": date(2026, 12, 1), "first_step_pain": 2, "answered_at": NOW} | values
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(user=user, client_id=uuid.uuid4(), **row)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("started", "ended"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), NOW),
        (NOW, datetime(2100, 1, 1, tzinfo=UTC)),
    ],
)
def test_the_session_table_refuses_an_impossible_time(
    routine_content,  # noqa: F811
    started: datetime,
    ended: datetime,
) -> None:
    user = User.objects.create_user("t")
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionLog.objects.create(
            client_id=uuid.uuid4(),
            user=user,
            routine_version=routine_content.current_version,
            started_at=started,
            ended_at=ended,
        )
