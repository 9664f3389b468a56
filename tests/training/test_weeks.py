"""One definition of "this week": the person's own calendar week, Monday to Sunday, in
their own time zone. Every count of sessions (the clinic's list, the patient's page and
home, progress, the CSV) goes through training.selectors, so the rule is tested here."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from library.models import RoutineVersion
from tests.factories import load, write_content
from training import selectors
from training.models import SessionLog

pytestmark = pytest.mark.django_db

ZONES = ["UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"]
ZONES += ["Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns"]


@pytest.fixture
def version(tmp_path: Path) -> RoutineVersion:
    load(write_content(tmp_path))
    return RoutineVersion.objects.get()


def person(name: str, zone: str) -> User:
    user = User.objects.create_user(name)
    Profile.objects.create(user=user, time_zone=zone)
    return user


def played(user: User, version: RoutineVersion, started: datetime) -> None:
    SessionLog.objects.create(
        client_id=uuid.uuid4(),
        user=user,
        routine_version=version,
        started_at=started,
        ended_at=started + timedelta(minutes=20),
    )


def test_a_week_runs_monday_to_sunday_in_the_persons_zone() -> None:
    la = ZoneInfo("America/Los_Angeles")
    # Tuesday 30 June 2026, 05:00 UTC is still Monday 29 June 22:00 in Los Angeles.
    week = selectors.week_at(zone=la, now=datetime(2026, 6, 30, 5, tzinfo=UTC))
    assert (week.start, week.end) == (date(2026, 6, 29), date(2026, 7, 5))
    assert week.since == datetime(2026, 6, 29, 7, tzinfo=UTC)  # Monday 00:00 PDT
    assert week.until == datetime(2026, 7, 6, 7, tzinfo=UTC)
    # Monday 29 June 05:00 UTC is Sunday evening there: the week before.
    earlier = selectors.week_at(zone=la, now=datetime(2026, 6, 29, 5, tzinfo=UTC))
    assert earlier.start == date(2026, 6, 22)


def test_sessions_either_side_of_local_midnight_sunday(version: RoutineVersion) -> None:
    user = person("la@example.org", "America/Los_Angeles")
    other = person("other@example.org", "UTC")
    played(user, version, datetime(2026, 6, 29, 6, 59, tzinfo=UTC))  # Sun 23:59 in LA
    played(user, version, datetime(2026, 6, 29, 7, 0, tzinfo=UTC))  # Mon 00:00 in LA
    played(user, version, datetime(2026, 7, 6, 6, 59, tzinfo=UTC))  # Sun 23:59, next Sunday
    played(other, version, datetime(2026, 7, 6, 6, tzinfo=UTC))  # Monday 06:00 in UTC
    now = datetime(2026, 7, 6, 6, 59, 30, tzinfo=UTC)  # still Sunday 5 July in LA
    assert selectors.sessions_this_week(user=user, now=now).sessions == 2
    weeks = selectors.sessions_per_week(user=user, now=now, weeks=2)
    assert [(w.start, w.end, w.sessions) for w in weeks] == [
        (date(2026, 6, 29), date(2026, 7, 5), 2),
        (date(2026, 6, 22), date(2026, 6, 28), 1),
    ]
    zones = {user.pk: ZoneInfo("America/Los_Angeles"), other.pk: ZoneInfo("UTC")}
    assert selectors.sessions_this_week_by_user(zones=zones, now=now) == {user.pk: 2, other.pk: 1}
    # One minute later it is Monday in LA too: a new week with nothing in it yet, while
    # the UTC person's week (which began six hours ago) keeps their session.
    later = now + timedelta(minutes=1)
    assert selectors.sessions_this_week_by_user(zones=zones, now=later) == {other.pk: 1}


def test_a_week_across_a_dst_change_is_still_seven_days(version: RoutineVersion) -> None:
    user = person("berlin@example.org", "Europe/Berlin")
    # The clocks go back on Sunday 25 October 2026: that week is 169 hours long.
    played(user, version, datetime(2026, 10, 18, 22, 30, tzinfo=UTC))  # Mon 19 Oct 00:30
    played(user, version, datetime(2026, 10, 25, 22, 30, tzinfo=UTC))  # Sun 25 Oct 23:30 CET
    now = datetime(2026, 10, 25, 22, 45, tzinfo=UTC)
    summary = selectors.sessions_this_week(user=user, now=now)
    assert summary.week.start == date(2026, 10, 19) and summary.sessions == 2
    assert summary.week.until.astimezone(UTC) - summary.week.since.astimezone(UTC) == timedelta(
        hours=169
    )


instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


# The routine fixture is made once; each example clears its own sessions and person.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(zone=st.sampled_from(ZONES), now=instants, offsets=st.lists(st.integers(-900, 900)))
def test_this_week_is_the_local_calendar_week_for_any_instants(
    version: RoutineVersion, zone: str, now: datetime, offsets: list[int]
) -> None:
    """Counted ⇔ the session's local day lies between this local Monday and Sunday."""
    SessionLog.objects.all().delete()
    User.objects.filter(username="prop").delete()
    user = person("prop", zone)
    tz = ZoneInfo(zone)
    started = [now + timedelta(minutes=37 * offset) for offset in offsets]
    for moment in started:
        played(user, version, moment)
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    expected = sum(
        1 for m in started if monday <= m.astimezone(tz).date() <= monday + timedelta(days=6)
    )
    assert selectors.sessions_this_week(user=user, now=now).sessions == expected
    counts = selectors.sessions_this_week_by_user(zones={user.pk: tz}, now=now)
    assert counts.get(user.pk, 0) == expected
    weeks = selectors.sessions_per_week(user=user, now=now, weeks=3)
    assert weeks[0].sessions == expected and weeks[0].start == monday
