"""The clinic's patient list: search, each filter, each sort, paging, red flags handled
and snoozes, the same answers from the page and the API, and a cost that does not grow
with the number of patients or check-ins."""

from __future__ import annotations

import gzip
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from clinic.models import Membership, Prescription, RedFlagReview, Role
from clinic.selectors.attention import flag_window_start, flags_waiting
from clinic.selectors.patient_list import PAGE_SIZE, Filter, ListQuery, Sort, patient_page
from journal.models import CheckIn
from journal.selectors import flagged_mornings, pain_points, red_flag_labels
from library.models import Phase, Routine
from tests.clinic.conftest import (
    World,
    build_world,
    checkin,
    load_routine_content,
    make_user,
    member,
)
from tests.matrix import shared_world
from training.models import SessionLog
from training.selectors import sessions_this_week_by_user

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # a Thursday
TODAY = NOW.date()


def staff(world: World) -> Client:
    client = Client()
    client.force_login(world.clinician)
    return client


def patient(world: World, name: str, *, display: str = "", phone: str = "", zone: str = "UTC"):
    user = make_user(name)
    Profile.objects.create(user=user, display_name=display, phone=phone, time_zone=zone)
    m = member(user, world.clinic, Role.PATIENT)
    Membership.objects.filter(pk=m.pk).update(created_at=NOW - timedelta(days=60))
    return user


def mornings(user: User, pains: list[int | None], *, flags_on: dict[int, str] | None = None):
    """Check-ins ending today, oldest first (None: no check-in that day)."""
    flags_on = flags_on or {}
    for back, pain in enumerate(reversed(pains)):
        if pain is not None:
            day = TODAY - timedelta(days=back)
            flag = flags_on.get(back)
            checkin(user, day, pain, **({flag: True} if flag else {}))


def session(world: World, user: User, started: datetime) -> None:
    """A 20-minute session of the world's routine."""
    SessionLog.objects.create(
        client_id=uuid.uuid4(),
        user=user,
        routine_version=world.routine.current_version,
        started_at=started,
        ended_at=started + timedelta(minutes=20),
    )


def page(world: World, **query) -> list[str]:
    result = patient_page(
        membership=Membership.objects.get(user=world.clinician),
        query=ListQuery(**query),
        now=NOW,
    )
    return [row.name for row in result.rows]


def many(world: World, count: int, *, days: int = 14, prefix: str = "bulk") -> list[int]:
    """`count` patients with `days` mornings each, written in bulk."""
    users = User.objects.bulk_create(
        [User(username=f"{prefix}{n:04}@ex.org") for n in range(count)]
    )
    Profile.objects.bulk_create([Profile(user=u, time_zone="Europe/London") for u in users])
    Membership.objects.bulk_create(
        [Membership(user=u, clinic=world.clinic, role=Role.PATIENT) for u in users]
    )
    rows = []
    for n, user in enumerate(users):
        for back in range(days):
            day = TODAY - timedelta(days=back)
            rows.append(
                CheckIn(
                    user=user,
                    client_id=uuid.uuid4(),
                    date=day,
                    # Every fifth patient's pain rose by 4 this week.
                    first_step_pain=(n + back) % 4 + (4 if n % 5 == 0 and back < 7 else 0),
                    answered_at=NOW - timedelta(days=back),
                    numbness=(n % 7 == 0 and back == 1),
                )
            )
    CheckIn.objects.bulk_create(rows, batch_size=2000)
    ids = [u.pk for u in users]
    return ids


@pytest.fixture(autouse=True)
def _frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    # The pages read timezone.now(); the rules are checked against NOW.
    monkeypatch.setattr(timezone, "now", lambda: NOW)


# ---- search --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", ["Ann Lee", "Bo Diaz", "pat@example.org", "zed@ex.org"]),
        ("ann", ["Ann Lee"]),
        ("ANN LEE", ["Ann Lee"]),
        ("lee ann", ["Ann Lee"]),  # every word, in any order
        ("ex.org", ["zed@ex.org"]),  # by email
        ("bo@clinic", ["Bo Diaz"]),  # the email behind a name
        ("example", ["pat@example.org"]),
        ("nobody", []),
    ],
)
def test_search_by_name_or_email(world: World, search: str, expected: list[str]) -> None:
    patient(world, "ann@ex.com", display="Ann Lee")
    patient(world, "bo@clinic.test", display="Bo Diaz")
    patient(world, "zed@ex.org")
    assert page(world, search=search, sort=Sort.NAME) == expected


# ---- filters -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({Filter.FLAGGED}, ["flagged"]),
        ({Filter.SILENT}, ["never", "pat@example.org", "quiet"]),
        ({Filter.RISING}, ["rising"]),
        ({Filter.UNPRESCRIBED}, ["calm", "flagged", "never", "quiet", "rising"]),
        ({Filter.FLAGGED, Filter.UNPRESCRIBED}, ["flagged"]),
        ({Filter.SILENT, Filter.RISING}, []),
    ],
)
def test_each_filter(world: World, filters: set[Filter], expected: list[str]) -> None:
    calm, flagged, quiet, rising = (
        patient(world, n) for n in ("calm", "flagged", "quiet", "rising")
    )
    patient(world, "never")  # joined 60 days ago, never checked in
    mornings(calm, [3] * 14)
    mornings(flagged, [4] * 14, flags_on={2: "numbness"})
    mornings(quiet, [3] * 10 + [None] * 4)  # last check-in 4 days ago
    mornings(rising, [2] * 7 + [5] * 7)  # this week's mean 3 points above last week's
    mornings(world.patient, [None] * 10 + [2] * 1 + [None] * 3)  # 3 days ago: silent
    assert page(world, filters=frozenset(filters), sort=Sort.NAME) == expected


def test_a_snoozed_patient_leaves_no_check_in_until_the_snooze_ends(world: World) -> None:
    quiet = patient(world, "quiet")
    mornings(quiet, [3] * 5 + [None] * 5)
    clinic = staff(world)
    url = reverse("clinic:snooze", args=[quiet.pk])
    assert clinic.post(url, {"days": "7", "note": "Holiday"}).status_code == 302
    assert "quiet" not in page(world, filters=frozenset({Filter.SILENT}))
    assert Membership.objects.get(user=quiet).quiet_until == TODAY + timedelta(days=6)
    clinic.post(reverse("clinic:snooze_end", args=[quiet.pk]))
    assert "quiet" in page(world, filters=frozenset({Filter.SILENT}))
    history = clinic.get(reverse("clinic:patient", args=[quiet.pk])).text
    assert "Holiday" in history and "Until" in history
    assert clinic.post(url, {"days": "365"}).status_code == 422


# ---- sorting -------------------------------------------------------------------------
@pytest.fixture
def sortable(world: World) -> World:
    a, b, c = patient(world, "a-low"), patient(world, "b-high"), patient(world, "c-mid")
    mornings(a, [5] * 7 + [1] * 7)  # falling; pain now 1
    mornings(b, [2] * 7 + [8] * 7)  # rising; pain now 8
    mornings(c, [4] * 12 + [None, None])  # quiet 2 days; pain now 4, flat
    for user, title_days in ((b, 3), (c, 1)):
        Prescription.objects.create(
            clinic=world.clinic, patient=user, routine=world.routine, days_per_week=title_days
        )
    SessionLog.objects.create(
        client_id=uuid.uuid4(),
        user=c,
        routine_version=world.routine.current_version,
        started_at=NOW - timedelta(hours=2),
        ended_at=NOW - timedelta(hours=1),
    )
    return world


# world.patient ("pat@example.org") has no check-ins and 3 days a week prescribed.
@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        (Sort.NAME, False, ["a-low", "b-high", "c-mid", "pat@example.org"]),
        (Sort.NAME, True, ["pat@example.org", "c-mid", "b-high", "a-low"]),
        (Sort.PAIN, False, ["a-low", "c-mid", "b-high", "pat@example.org"]),
        (Sort.PAIN, True, ["b-high", "c-mid", "a-low", "pat@example.org"]),  # no value: last
        (Sort.LAST, False, ["a-low", "b-high", "c-mid", "pat@example.org"]),
        (Sort.TREND, False, ["a-low", "c-mid", "b-high", "pat@example.org"]),
        (Sort.TREND, True, ["b-high", "c-mid", "a-low", "pat@example.org"]),
        (Sort.SESSIONS, False, ["b-high", "pat@example.org", "c-mid", "a-low"]),
        (Sort.ROUTINE, False, ["b-high", "c-mid", "pat@example.org", "a-low"]),
    ],
)
def test_each_sort(sortable: World, sort: Sort, descending: bool, expected: list[str]) -> None:
    assert page(sortable, sort=sort, descending=descending) == expected


def test_needs_attention_puts_waiting_flags_first_then_the_longest_quiet(world: World) -> None:
    calm, new_flag, old_flag, quiet = (
        patient(world, n) for n in ("calm", "new-flag", "old-flag", "quiet")
    )
    mornings(calm, [2] * 5)
    mornings(new_flag, [3] * 5, flags_on={0: "calf_swelling"})
    mornings(old_flag, [3] * 5, flags_on={4: "numbness"})
    mornings(quiet, [3] * 3 + [None] * 5)
    handled = patient(world, "handled")
    mornings(handled, [3] * 5, flags_on={1: "rest_pain"})
    Membership.objects.filter(user=handled).update(flags_handled_through=NOW)
    never = patient(world, "never")  # joined 60 days ago, never checked in
    assert never
    order = page(world)
    assert order[:2] == ["new-flag", "old-flag"]  # newest red flag first
    assert order[2:4] == ["never", "quiet"]  # quiet the longest first
    # Then by name; pat@example.org joined today, so not quiet yet.
    assert order[4:] == ["calm", "handled", "pat@example.org"]


# ---- paging --------------------------------------------------------------------------
@pytest.mark.parametrize("sort", [Sort.ATTENTION, Sort.NAME, Sort.PAIN, Sort.TREND])
def test_pages_cover_everyone_once_in_a_stable_order(world: World, sort: Sort) -> None:
    many(world, PAGE_SIZE * 2 + 7, days=3)
    seen: list[str] = []
    for number in (1, 2, 3):
        seen += page(world, sort=sort, page=number)
    assert len(seen) == len(set(seen)) == PAGE_SIZE * 2 + 8
    assert page(world, sort=sort, page=1) == seen[:PAGE_SIZE]  # the same again
    assert page(world, sort=sort, page=99) == seen[PAGE_SIZE * 2 :]  # past the end: the last


# ---- red flags handled ---------------------------------------------------------------
def test_marking_red_flags_handled_closes_them_and_keeps_the_history(world: World) -> None:
    flagged = patient(world, "flagged@ex.org", display="Flo", phone="+44 7700 900123")
    mornings(flagged, [4, 6], flags_on={0: "numbness", 1: "calf_swelling"})
    clinic = staff(world)
    listing = clinic.get(reverse("clinic:dashboard")).text
    assert 'href="tel:+447700900123"' in listing and "Mark handled" in listing
    row = patient_page(
        membership=Membership.objects.get(user=world.clinician), query=ListQuery(), now=NOW
    ).rows[0]
    assert [f.labels for f in row.flags] == [
        red_flag_labels(["numbness"]),
        red_flag_labels(["calf_swelling"]),
    ]

    done = clinic.post(
        reverse("clinic:red_flags_handled", args=[flagged.pk]),
        {"through": row.seen_through.isoformat(), "note": "Called: GP today", "next": "/clinic/"},
    )
    assert done.status_code == 302 and done["Location"] == "/clinic/"
    assert page(world, filters=frozenset({Filter.FLAGGED})) == []
    review = RedFlagReview.objects.get()
    assert review.handled_by == world.clinician and review.note == "Called: GP today"
    assert [m["flags"] for m in review.flags] == [["numbness"], ["calf_swelling"]]
    text = clinic.get(reverse("clinic:patient", args=[flagged.pk])).text
    assert "Red flags handled" in text and "Called: GP today" in text
    assert "Handled by dr-north" in text

    # A second click (or a colleague) finds nothing left to close.
    again = clinic.post(
        reverse("clinic:red_flags_handled", args=[flagged.pk]),
        {"through": row.seen_through.isoformat()},
    )
    assert again.status_code == 409


def test_a_flag_that_arrives_after_handling_waits_again(world: World) -> None:
    flagged = patient(world, "flagged")
    mornings(flagged, [4, None], flags_on={1: "numbness"})
    Membership.objects.filter(user=flagged).update(flags_handled_through=NOW)
    assert page(world, filters=frozenset({Filter.FLAGGED})) == []
    later = NOW + timedelta(minutes=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        checkin(flagged, TODAY, 7, rest_pain=True)
    assert page(world, filters=frozenset({Filter.FLAGGED})) == ["flagged"]


def test_a_flag_that_arrives_while_the_clinician_reads_stays_waiting(world: World) -> None:
    flagged = patient(world, "flagged")
    mornings(flagged, [4, None], flags_on={1: "numbness"})
    shown = CheckIn.objects.get(user=flagged).updated_at  # what the page showed
    later = NOW + timedelta(minutes=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        checkin(flagged, TODAY, 7, calf_swelling=True)  # arrives before the click
        staff(world).post(
            reverse("clinic:red_flags_handled", args=[flagged.pk]),
            {"through": shown.isoformat()},
        )
    review = RedFlagReview.objects.get()
    assert [m["day"] for m in review.flags] == [(TODAY - timedelta(days=1)).isoformat()]
    assert page(world, filters=frozenset({Filter.FLAGGED})) == ["flagged"]


def test_a_replay_of_a_handled_check_in_does_not_raise_it_again(world: World) -> None:
    from journal.services import Answers, checkin_record

    flagged = patient(world, "flagged")
    first = checkin(flagged, TODAY, 5, numbness=True)
    Membership.objects.filter(user=flagged).update(flags_handled_through=NOW)
    later = NOW + timedelta(hours=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        checkin_record(
            user=flagged,
            client_id=first.client_id,
            answers=Answers(
                date=TODAY,
                first_step_pain=5,
                flags=frozenset({"numbness"}),
                answered_at=first.answered_at,
            ),
            now=later,
        )
    assert page(world, filters=frozenset({Filter.FLAGGED})) == []


def test_flags_older_than_the_wait_no_longer_nag(world: World) -> None:
    old = patient(world, "old")
    checkin(old, TODAY - timedelta(days=31), 5, numbness=True)
    checkin(old, TODAY, 2)
    assert page(world, filters=frozenset({Filter.FLAGGED})) == []
    text = staff(world).get(reverse("clinic:patient", args=[old.pk])).text
    assert "Never marked handled" in text


# ---- names ---------------------------------------------------------------------------
def test_the_invitation_label_names_the_patient_until_they_name_themselves(
    world: World,
) -> None:
    from clinic.services import invitation_accept

    world.invitation.label = "Anna K"
    world.invitation.save()
    newcomer = make_user("anna@example.org")
    invitation_accept(code=world.invitation.code, user=newcomer, now=NOW)
    assert "Anna K" in page(world, search="anna")
    Profile.objects.filter(user=newcomer).update(display_name="Anna Karlsson")
    assert page(world, search="anna") == ["Anna Karlsson"]


# ---- one answer for the page and the API ---------------------------------------------
def test_the_api_pages_sorts_and_filters_like_the_page(world: World) -> None:
    many(world, 60, days=3)
    client = staff(world)
    data = client.get(
        "/api/v1/clinic/patients", {"sort": "name", "dir": "desc", "page": "2"}
    ).json()
    assert data["count"] == 61 and data["pages"] == 2 and data["page"] == 2
    assert [p["name"] for p in data["patients"]] == page(
        world, sort=Sort.NAME, descending=True, page=2
    )
    flagged = client.get("/api/v1/clinic/patients", {"filter": "flagged"}).json()
    assert flagged["count"] == data["red_flags_waiting"] == 9
    assert all(p["red_flags"] and len(p["pain_14_days"]) == 14 for p in flagged["patients"])
    bad = client.get("/api/v1/clinic/patients", {"sort": "age"})
    assert bad.status_code == 422 and "sort" in bad.text


def test_a_bad_query_string_is_a_400_naming_the_field(world: World) -> None:
    response = staff(world).get(reverse("clinic:dashboard"), {"sort": "age", "page": "0"})
    assert response.status_code == 400
    assert "sort:" in response.text and "page:" in response.text


def test_htmx_gets_only_the_list(world: World) -> None:
    response = staff(world).get(
        reverse("clinic:dashboard"), {"filter": "flagged"}, headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<div id="patients"')
    assert "<html" not in response.text
    assert response["Vary"] and "HX-Request" in response["Vary"]


# ---- cost ----------------------------------------------------------------------------
def queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


COST_PARAMS = [{}, {"sort": "trend"}, {"sort": "sessions"}, {"filter": "rising"}, {"q": "bulk"}]


@dataclass(frozen=True)
class Counts:
    """Queries for one query string: the page and the API, at 10 patients and at 500."""

    page_small: int
    api_small: int
    page_big: int
    api_big: int
    added: int


@pytest.fixture(scope="module")
def query_counts(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Counts]:
    """Every query string's counts at 10 patients (14 mornings each), then again after 490
    more with 30 mornings each: one world of 500 for all of them, built once (building it
    was most of the module's time), rolled back before the module's other tests run."""
    folder = tmp_path_factory.mktemp("content")
    counted: dict[str, Counts] = {}

    def measure() -> None:
        world = build_world(load_routine_content(folder))
        client = staff(world)
        client.get(reverse("clinic:dashboard"))  # a session's first page also reads the zone
        many(world, 10)
        urls = [reverse("clinic:dashboard"), "/api/v1/clinic/patients"]
        for params in COST_PARAMS:  # each query string once first, as a session would
            for url in urls:
                queries(client, url, params)
        small = {str(p): [queries(client, url, p) for url in urls] for p in COST_PARAMS}
        added = len(many(world, 490, days=30, prefix="more"))
        for params in COST_PARAMS:
            page_big, api_big = (queries(client, url, params) for url in urls)
            counted[str(params)] = Counts(*small[str(params)], page_big, api_big, added)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: NOW)
        with shared_world(django_db_blocker, measure):
            pass
    return counted


# Marked so the test database is made even when these are the only tests run: the world
# they count is built by a module fixture, which pytest-django's marks cannot see.
@pytest.mark.django_db
@pytest.mark.parametrize("params", COST_PARAMS)
def test_queries_do_not_grow_with_patients_or_check_ins(
    query_counts: dict[str, Counts], params: dict[str, str]
) -> None:
    counts = query_counts[str(params)]
    assert counts.added == 490
    assert counts.page_big == counts.page_small
    assert counts.api_big == counts.api_small


def test_a_page_of_fifty_fits_the_html_budget(world: World) -> None:
    ids = many(world, 120, days=14)
    Profile.objects.filter(user_id__in=ids).update(phone="+44 7700 900000")
    response = staff(world).get(reverse("clinic:dashboard"))
    assert response.content.count(b"<tr") == PAGE_SIZE + 1
    assert len(gzip.compress(response.content)) <= 14 * 1024


def test_each_rows_values_are_the_per_patient_reads(world: World) -> None:
    """The page folds each row's mornings, waiting flags, this week's sessions and
    prescriptions into one value per patient (text the rows parse): they read what the
    per-patient selectors read, in every zone, with titles holding the separators, flags
    received to the microsecond and handled ones left out."""
    odd = Routine.objects.create(
        slug="odd", title="12:3 x, y;z=1|", summary="s", phase=Phase.KEEP_FIT
    )
    users = [
        patient(world, "auckland", zone="Pacific/Auckland"),
        patient(world, "angeles", zone="America/Los_Angeles"),
        patient(world, "london", zone="Europe/London"),
    ]
    for n, user in enumerate(users):
        mornings(
            user,
            [n, None, 3, 4, None, 9, 1] * 2 + [2],
            flags_on={1: "numbness", (5, 7, 8)[n]: "rest_pain"},
        )
        for back, hours in ((0, 1), (3, 5), (9, 2)):  # this week and the one before
            session(world, user, NOW - timedelta(days=back, hours=hours))
    for n, flagged in enumerate(CheckIn.objects.filter(user__in=users, numbness=True)):
        CheckIn.objects.filter(pk=flagged.pk).update(
            updated_at=NOW - timedelta(hours=n, microseconds=123457 + n)
        )
    handled = CheckIn.objects.get(user=users[1], numbness=True).updated_at
    Membership.objects.filter(user=users[1]).update(flags_handled_through=handled)
    for user, routines in ((users[0], [odd, world.routine]), (users[2], [odd])):
        for days, routine in enumerate(routines, start=2):
            Prescription.objects.create(
                clinic=world.clinic, patient=user, routine=routine, days_per_week=days
            )
    result = patient_page(
        membership=Membership.objects.get(user=world.clinician), query=ListQuery(), now=NOW
    )
    rows = {row.user_id: row for row in result.rows}
    for user in users:
        row, zone = rows[user.pk], ZoneInfo(user.profile.time_zone)
        today = NOW.astimezone(zone).date()
        mine = Membership.objects.get(user=user)
        assert row.points == pain_points(days={user.pk: today}, span=14)[user.pk]
        assert row.flags == flags_waiting(
            flagged_mornings(user_ids=[user.pk], since=flag_window_start(today=today)),
            handled=mine.flags_handled_through,
            today=today,
        )
        assert (
            row.sessions_week == sessions_this_week_by_user(zones={user.pk: zone}, now=NOW)[user.pk]
        )
        prescribed = Prescription.objects.filter(patient=user, active=True)
        assert row.prescribed_week == sum(p.days_per_week for p in prescribed)
        assert row.routines == sorted(p.routine.title for p in prescribed)
    assert [len(rows[u.pk].flags) for u in users] == [2, 1, 2]  # the handled one left out
    assert rows[users[0].pk].routines == [odd.title, world.routine.title]
    # Monday 07:00 UTC is Sunday evening in Los Angeles: last week there.
    assert [rows[u.pk].sessions_week for u in users] == [2, 1, 2]
    assert [rows[u.pk].prescribed_week for u in users] == [5, 0, 2]


def test_the_week_is_the_patients_own(world: World) -> None:
    """ "This week" on the list is each patient's calendar week in their own zone."""
    tokyo = patient(world, "tokyo", zone="Asia/Tokyo")
    la = patient(world, "la", zone="America/Los_Angeles")
    Prescription.objects.create(
        clinic=world.clinic, patient=tokyo, routine=world.routine, days_per_week=3
    )
    # Sunday 29 Nov 23:30 in LA is Monday 30 Nov 16:30 in Tokyo: this week for Tokyo only.
    started = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)
    for user in (tokyo, la):
        session(world, user, started)
    rows = {
        row.name: row
        for row in patient_page(
            membership=Membership.objects.get(user=world.clinician), query=ListQuery(), now=NOW
        ).rows
    }
    assert (rows["tokyo"].sessions_week, rows["tokyo"].prescribed_week) == (1, 3)
    assert rows["la"].sessions_week == 0


def test_silence_counts_on_the_patients_calendar(world: World) -> None:
    # 12:00 UTC on 3 Dec is already 4 Dec in Kiritimati (UTC+14): three days since the 1st.
    far = patient(world, "far", zone="Pacific/Kiritimati")
    near = patient(world, "near", zone="UTC")
    for user in (far, near):
        checkin(user, date(2026, 12, 1), 3)
    assert page(world, filters=frozenset({Filter.SILENT}), search="far") == ["far"]
    assert page(world, filters=frozenset({Filter.SILENT}), search="near") == []
