"""Morning reminders and "Today: <routine>", decided from the person's own clock.

The clock is frozen by passing `now`: the worker's tick calls the same function with the
real time. Auckland is UTC+13 in December, Los Angeles UTC-8.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Profile
from clinic.models import Clinic, Membership, Prescription, Role
from journal.models import CheckIn
from library.models import Routine
from notifications.models import Kind, Notice, PushSubscription
from reminders import rules
from reminders.services import CHECKIN_TITLE, reminders_send_due, routine_reminder_set
from reminders.tasks import reminders_tick
from tests.factories import exercise_data, load, routine_data, write_content
from tests.notifications.conftest import run_worker
from tests.notifications.fakes import Browser, FakePushService
from training.models import SessionLog

pytestmark = pytest.mark.django_db

AUCKLAND, LOS_ANGELES = ZoneInfo("Pacific/Auckland"), ZoneInfo("America/Los_Angeles")


def person(name: str, zone: str, at: time | None = time(7, 0), *, push: bool = True) -> User:
    user = User.objects.create_user(name)
    Profile.objects.create(user=user, time_zone=zone, reminder_time=at)
    if push:
        PushSubscription.objects.create(
            user=user, endpoint=f"https://fcm.googleapis.com/fcm/send/{name}", **Browser().keys
        )
    return user


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def run_clock(start: datetime, end: datetime, step: timedelta = timedelta(minutes=1)) -> dict:
    """Tick from start to end; returns {(user_id, key): the tick that made the notice}."""
    made = {}
    now = start
    while now <= end:
        for notice in reminders_send_due(now=now):
            made[(notice.user_id, notice.key)] = now
        now += step
    return made


def test_seven_in_the_morning_in_auckland_and_in_los_angeles_fires_once_each() -> None:
    kiri = person("kiri", "Pacific/Auckland")
    sam = person("sam", "America/Los_Angeles")
    person("nobody-subscribed", "Pacific/Auckland", push=False)

    made = run_clock(utc(2026, 12, 1, 17, 0), utc(2026, 12, 2, 16, 30))

    assert made == {
        # 07:00 on 2 December in Auckland is 18:00 UTC on 1 December.
        (kiri.pk, "checkin-2026-12-02"): utc(2026, 12, 1, 18, 0),
        # 07:00 on 2 December in Los Angeles is 15:00 UTC on 2 December.
        (sam.pk, "checkin-2026-12-02"): utc(2026, 12, 2, 15, 0),
    }
    assert Notice.objects.count() == 2


def test_the_reminder_says_what_to_do_and_opens_the_check_in() -> None:
    kiri = person("kiri", "Pacific/Auckland")

    (notice,) = reminders_send_due(now=utc(2026, 12, 1, 18, 0))

    assert (notice.user, notice.kind) == (kiri, Kind.CHECKIN_REMINDER)
    assert notice.title == CHECKIN_TITLE == "Good morning — how were your first steps?"
    assert notice.url == "/checkin/"
    # Worth showing until 09:00 local, when a late reminder stops being useful.
    assert notice.expires_at == datetime(2026, 12, 2, 9, 0, tzinfo=AUCKLAND)


def test_no_reminder_when_already_checked_in_today() -> None:
    kiri = person("kiri", "Pacific/Auckland")
    CheckIn.objects.create(
        user=kiri,
        client_id=uuid.uuid4(),
        date=date(2026, 12, 2),
        first_step_pain=3,
        answered_at=datetime(2026, 12, 2, 6, 40, tzinfo=AUCKLAND),
    )

    assert run_clock(utc(2026, 12, 1, 17, 50), utc(2026, 12, 1, 21, 0)) == {}


def test_a_missed_reminder_is_sent_late_once_within_two_hours() -> None:
    sam = person("sam", "America/Los_Angeles")
    # The server was down from 06:00 to 08:30 Los Angeles time (14:00-16:30 UTC).
    made = run_clock(utc(2026, 12, 2, 16, 30), utc(2026, 12, 2, 20, 0))

    assert made == {(sam.pk, "checkin-2026-12-02"): utc(2026, 12, 2, 16, 30)}


def test_after_two_hours_a_missed_reminder_is_skipped_until_tomorrow() -> None:
    sam = person("sam", "America/Los_Angeles")
    # Back at 09:00 sharp: two hours late is too late.
    made = run_clock(utc(2026, 12, 2, 17, 0), utc(2026, 12, 3, 15, 5), timedelta(minutes=5))

    assert made == {(sam.pk, "checkin-2026-12-03"): utc(2026, 12, 3, 15, 0)}


def test_off_when_turned_off_or_unsubscribed() -> None:
    person("no-time", "Pacific/Auckland", at=None)
    quitter = person("quitter", "Pacific/Auckland")
    PushSubscription.objects.filter(user=quitter).delete()

    assert run_clock(utc(2026, 12, 1, 17, 0), utc(2026, 12, 1, 21, 0), timedelta(minutes=10)) == {}


def test_at_most_one_a_day_even_if_the_time_is_changed() -> None:
    kiri = person("kiri", "Pacific/Auckland")
    assert reminders_send_due(now=utc(2026, 12, 1, 18, 0))
    Profile.objects.filter(user=kiri).update(reminder_time=time(7, 30))

    assert run_clock(utc(2026, 12, 1, 18, 1), utc(2026, 12, 1, 21, 0)) == {}


@pytest.mark.parametrize(
    ("at", "zone", "first", "expected"),
    [
        # Spring forward in Los Angeles, 14 March 2027: 02:00 jumps to 03:00.
        (time(2, 30), "America/Los_Angeles", utc(2027, 3, 14, 9, 0), utc(2027, 3, 14, 10, 0)),
        # Fall back, 7 November 2027: 01:30 happens twice; one reminder.
        (time(1, 30), "America/Los_Angeles", utc(2027, 11, 7, 8, 0), utc(2027, 11, 7, 8, 30)),
        # Auckland's spring forward, 26 September 2027: 02:00 jumps to 03:00.
        (time(2, 15), "Pacific/Auckland", utc(2027, 9, 25, 13, 0), utc(2027, 9, 25, 14, 0)),
    ],
)
def test_daylight_saving_changes(at: time, zone: str, first: datetime, expected: datetime) -> None:
    user = person("dst", zone, at=at)

    made = run_clock(first, first + timedelta(hours=5), timedelta(minutes=5))

    assert list(made.values()) == [expected]
    assert list(made) == [(user.pk, f"checkin-{expected.astimezone(ZoneInfo(zone)).date()}")]


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(["Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata", "UTC"]),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    ticks=st.lists(st.integers(min_value=0, max_value=36 * 60), min_size=1, max_size=40),
)
def test_a_reminder_fires_at_the_first_tick_in_its_window_and_only_then(
    zone: str, at: time, ticks: list[int]
) -> None:
    """Whatever the server's uptime: per local day, one notice, at the first tick that
    falls in [time, time + 2 h) of that day, and none when no tick does."""
    Notice.objects.all().delete()
    User.objects.filter(username="prop").delete()
    user = person("prop", zone, at=at)
    start = utc(2026, 12, 1, 0, 0)
    instants = sorted({start + timedelta(minutes=m) for m in ticks})

    made = {}
    for now in instants:
        for notice in reminders_send_due(now=now):
            made[notice.key] = now

    expected = {}
    for now in instants:
        local = now.astimezone(ZoneInfo(zone))
        if rules.due(local_now=local, at=at):
            expected.setdefault(f"checkin-{local.date()}", now)
    assert made == expected
    assert all(n.user_id == user.pk for n in Notice.objects.all())


# ---- Today: <routine> ------------------------------------------------------------------
@pytest.fixture
def patient(routine_content: Routine) -> User:
    user = person("pat", "America/Los_Angeles", at=None)
    clinic = Clinic.objects.create(slug="north", name="North Physio")
    Membership.objects.create(user=user, clinic=clinic, role=Role.PATIENT)
    Prescription.objects.create(
        clinic=clinic, patient=user, routine=routine_content, days_per_week=3
    )
    # Monday, Wednesday, Friday at 18:00.
    routine_reminder_set(user=user, at=time(18, 0), weekdays=rules.spread(3))
    return user


MONDAY_6PM_LA = utc(2026, 12, 8, 2, 0)  # Monday 7 December, 18:00 in Los Angeles


def test_today_s_routine_on_a_prescribed_day_when_not_played(patient: User) -> None:
    (notice,) = reminders_send_due(now=MONDAY_6PM_LA)

    assert notice.kind == Kind.ROUTINE_REMINDER
    assert notice.title == "Today: Heel routine"
    assert notice.url == "/routines/heel-routine/"
    assert notice.key == "routine-day-2026-12-07"
    assert reminders_send_due(now=MONDAY_6PM_LA + timedelta(minutes=1)) == []


def test_no_routine_reminder_once_played_today(patient: User, routine_content: Routine) -> None:
    SessionLog.objects.create(
        client_id=uuid.uuid4(),
        user=patient,
        routine_version=routine_content.current_version,
        started_at=datetime(2026, 12, 7, 7, 30, tzinfo=LOS_ANGELES),
        ended_at=datetime(2026, 12, 7, 7, 50, tzinfo=LOS_ANGELES),
    )

    assert reminders_send_due(now=MONDAY_6PM_LA) == []


def test_no_routine_reminder_on_other_days_or_when_off(patient: User) -> None:
    tuesday = MONDAY_6PM_LA + timedelta(days=1)
    assert reminders_send_due(now=tuesday) == []

    routine_reminder_set(user=patient, at=None)
    assert reminders_send_due(now=MONDAY_6PM_LA) == []


def test_no_routine_reminder_without_a_prescription(patient: User) -> None:
    Prescription.objects.update(active=False)
    assert reminders_send_due(now=MONDAY_6PM_LA) == []


def test_two_routines_left_are_named_together(patient: User, tmp_path) -> None:
    root = write_content(
        tmp_path / "more",
        exercises=[exercise_data("calf-raise")],
        routines=[routine_data(), routine_data("arch-routine", title="Arch routine")],
    )
    load(root)
    Prescription.objects.create(
        clinic=Clinic.objects.get(),
        patient=patient,
        routine=Routine.objects.get(slug="arch-routine"),
        days_per_week=5,
    )

    (notice,) = reminders_send_due(now=MONDAY_6PM_LA)

    assert notice.title == "Today: Arch routine and 1 more"
    assert notice.url == "/"


def test_the_worker_delivers_a_due_reminder(push_service: FakePushService) -> None:
    # A fixed-offset zone where it is around noon now, so the reminder is due, not tomorrow.
    offset = 12 - timezone.now().hour
    zone = f"Etc/GMT{-offset:+d}" if offset else "UTC"
    local = timezone.now().astimezone(ZoneInfo(zone))
    kiri = person("kiri", zone, at=local.time().replace(second=0, microsecond=0))
    browser = Browser()
    PushSubscription.objects.filter(user=kiri).update(
        endpoint=push_service.endpoint("kiri"), **browser.keys
    )

    reminders_tick.enqueue()
    run_worker()

    (received,) = push_service.to("kiri")
    assert browser.decrypt(received.body)["title"] == CHECKIN_TITLE
