"""Recording check-ins: one per local day, race-free upserts, and the runner's own calendar."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from footing.errors import Conflict, Invalid
from journal import selectors, services
from journal.models import CheckIn
from tests.journal.conftest import make_runner

pytestmark = pytest.mark.django_db


def answers(day: date, pain: int = 3, **extra: object) -> services.Answers:
    return services.Answers(date=day, first_step_pain=pain, **extra)


def record(user, day: date, pain: int = 3, *, now: datetime | None = None, **extra):
    return services.checkin_record(
        user=user, client_id=uuid.uuid4(), answers=answers(day, pain, **extra), now=now
    )


# ---- time zones: "today" is the runner's day --------------------------------------
@pytest.mark.parametrize(
    ("zone", "utc_now", "day", "allowed"),
    [
        # 23:30 UTC on 1 March is already 2 March in Auckland (UTC+13 in summer) ...
        ("Pacific/Auckland", datetime(2026, 3, 1, 23, 30, tzinfo=UTC), date(2026, 3, 2), True),
        # ... but still 1 March in London, so 2 March is the future there.
        ("Europe/London", datetime(2026, 3, 1, 23, 30, tzinfo=UTC), date(2026, 3, 2), False),
        # 05:00 UTC on 2 March is still 1 March in Los Angeles.
        ("America/Los_Angeles", datetime(2026, 3, 2, 5, 0, tzinfo=UTC), date(2026, 3, 2), False),
        ("America/Los_Angeles", datetime(2026, 3, 2, 8, 30, tzinfo=UTC), date(2026, 3, 2), True),
        # The night the clocks go forward in New York (8 March 2026): 00:30 local is
        # 05:30 UTC; 23:59 local that evening is 03:59 UTC the next day (EDT, UTC-4).
        ("America/New_York", datetime(2026, 3, 8, 5, 30, tzinfo=UTC), date(2026, 3, 8), True),
        ("America/New_York", datetime(2026, 3, 9, 3, 59, tzinfo=UTC), date(2026, 3, 9), False),
        ("America/New_York", datetime(2026, 3, 9, 4, 0, tzinfo=UTC), date(2026, 3, 9), True),
        # Clocks go back in Europe (25 October 2026): 23:30 local is 22:30 UTC (GMT+1 → GMT).
        ("Europe/Dublin", datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 26), False),
        ("Europe/Berlin", datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 26), True),
    ],
)
def test_future_means_the_future_in_the_runners_time_zone(
    zone: str, utc_now: datetime, day: date, allowed: bool
) -> None:
    user = make_runner(time_zone=zone)
    if allowed:
        checkin, created = record(user, day, now=utc_now)
        assert created and checkin.date == day
    else:
        with pytest.raises(Invalid) as error:
            record(user, day, now=utc_now)
        assert error.value.field == "date"


def test_streak_counts_calendar_days_across_a_dst_change() -> None:
    # 23-25 hour days around the change are still one morning each.
    user = make_runner(time_zone="Europe/Berlin")
    for day in (date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)):
        record(user, day, now=datetime(2026, 10, 26, 9, tzinfo=UTC))
    progress = selectors.progress_get(user=user, days=14, now=datetime(2026, 10, 26, 6, tzinfo=UTC))
    assert progress.today == date(2026, 10, 26)
    assert progress.streak == 3


# ---- one per day, upserts, races ------------------------------------------------------
def test_same_client_id_twice_is_one_row() -> None:
    user = make_runner()
    client_id = uuid.uuid4()
    day = date.today() - timedelta(days=1)
    first, created = services.checkin_record(user=user, client_id=client_id, answers=answers(day))
    again, created_again = services.checkin_record(
        user=user, client_id=client_id, answers=answers(day, 5)
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk and CheckIn.objects.get().first_step_pain == 5


def test_a_racing_insert_is_turned_into_an_update(monkeypatch: pytest.MonkeyPatch) -> None:
    """On the careful path (taken when the one-statement upsert steps aside), two replays
    of one check-in arrive together: both look, both find nothing, the rival inserts
    first. Our insert hits the unique constraint and becomes an update."""
    user = make_runner()
    client_id = uuid.uuid4()
    day = date.today() - timedelta(days=1)
    services.checkin_record(user=user, client_id=client_id, answers=answers(day, 9))  # rival
    monkeypatch.setattr(services, "checkin_upsert", lambda **kwargs: None)
    real_filter = CheckIn.objects.filter
    lookups = []

    def filter_not_seeing_the_rival_yet(*args, **kwargs):
        lookups.append(kwargs)
        return CheckIn.objects.none() if len(lookups) <= 2 else real_filter(*args, **kwargs)

    monkeypatch.setattr(CheckIn.objects, "filter", filter_not_seeing_the_rival_yet)
    _checkin, created = services.checkin_record(
        user=user, client_id=client_id, answers=answers(day, 2)
    )
    assert created is False
    assert len(lookups) == 3  # looked (by id, by day), lost the insert, found it by id
    monkeypatch.undo()
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get().first_step_pain == 2


def test_moving_an_entry_onto_a_taken_day_is_a_conflict() -> None:
    user = make_runner()
    yesterday = date.today() - timedelta(days=1)
    record(user, yesterday)
    today_entry, _ = record(user, date.today())
    with pytest.raises(Conflict):
        services.checkin_update(
            user=user, client_id=today_entry.client_id, answers=answers(yesterday)
        )


def test_red_flags_and_locations_are_stored() -> None:
    user = make_runner()
    checkin, _ = record(
        user,
        date.today(),
        locations=("arch", "arch", "calf"),
        flags=frozenset({"calf_swelling"}),
    )
    checkin.refresh_from_db()
    assert checkin.locations == ["arch", "calf"]
    assert checkin.calf_swelling and not checkin.numbness
    assert selectors.checkin_flags(checkin) == {"calf_swelling"}


# ---- trend and progress -------------------------------------------------------------
def test_trend_uses_the_last_recent_morning_and_full_weeks_only() -> None:
    user = make_runner()
    today = date(2026, 5, 20)
    now = datetime(2026, 5, 20, 12, tzinfo=UTC)
    for offset, pain in [(13, 2), (12, 2), (11, 2), (6, 4), (5, 4), (4, 4), (1, 5)]:
        record(user, today - timedelta(days=offset), pain, now=now)
    trend = selectors.trend_for(user=user, day=today)
    assert trend.previous_pain == 5
    assert trend.last_week_pain == 2
    assert trend.this_week_pain == pytest.approx(4.25)
    assert trend.weekly_rise


def test_a_morning_long_ago_is_no_baseline() -> None:
    user = make_runner()
    record(user, date(2026, 5, 1), 2, now=datetime(2026, 5, 20, tzinfo=UTC))
    assert selectors.trend_for(user=user, day=date(2026, 5, 20)).previous_pain is None


def test_progress_summary() -> None:
    user = make_runner(time_zone="Europe/London")
    now = datetime(2026, 6, 30, 8, tzinfo=UTC)
    today = date(2026, 6, 30)
    first = today - timedelta(days=20)
    for n in range(7):
        record(user, first + timedelta(days=n), 7, now=now)  # first week: 7/10
    for n in range(5):
        record(user, today - timedelta(days=n), 4, now=now)  # the last 5 mornings: 4/10
    progress = selectors.progress_get(user=user, days=30, now=now)
    assert len(progress.series) == 30 and progress.series[-1].day == today
    assert progress.recorded == 12
    assert progress.average_7 == 4
    assert progress.streak == 5
    assert progress.first_week_average == 7
    assert progress.change == -3 and progress.meaningful
    assert progress.target == 5
    assert len(progress.weeks) == 4 and all(week.sessions == 0 for week in progress.weeks)


def test_streak_waits_for_this_mornings_checkin() -> None:
    user = make_runner()
    now = datetime(2026, 6, 30, 6, tzinfo=UTC)
    for n in (1, 2, 3):
        record(user, date(2026, 6, 30) - timedelta(days=n), 3, now=now)
    assert selectors.progress_get(user=user, days=14, now=now).streak == 3


def test_first_week_is_not_compared_until_it_is_over() -> None:
    user = make_runner()
    now = datetime(2026, 6, 30, 6, tzinfo=UTC)
    record(user, date(2026, 6, 27), 5, now=now)
    progress = selectors.progress_get(user=user, days=14, now=now)
    assert progress.first_week_average is None and progress.change is None


def test_change_under_two_points_is_not_meaningful() -> None:
    user = make_runner()
    now = datetime(2026, 6, 30, 6, tzinfo=UTC)
    record(user, date(2026, 6, 1), 5, now=now)
    record(user, date(2026, 6, 30), 4, now=now)
    progress = selectors.progress_get(user=user, days=30, now=now)
    assert progress.change == -1 and not progress.meaningful


def test_other_runners_never_show_up_in_progress() -> None:
    user = make_runner()
    other = make_runner("other@example.org")
    now = datetime(2026, 6, 30, 6, tzinfo=UTC)
    record(other, date(2026, 6, 30), 9, now=now)
    progress = selectors.progress_get(user=user, days=14, now=now)
    assert progress.recorded == 0 and progress.streak == 0


def test_zone_is_taken_from_the_profile() -> None:
    user = make_runner(time_zone="Asia/Kolkata")
    assert (
        selectors.local_today(user=user, now=datetime(2026, 1, 1, 20, tzinfo=UTC))
        == datetime(2026, 1, 1, 20, tzinfo=UTC).astimezone(ZoneInfo("Asia/Kolkata")).date()
    )
