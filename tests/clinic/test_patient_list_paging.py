"""The list's statements give the one-shot answer: over random clinics (names that tie,
in any case; three time zones; mornings with and without red flags, handled or not;
snoozes; prescriptions), every sort, direction, filter and search, the pages laid end
to end are exactly the ordering worked out in Python from the per-patient rules over
every matching patient, each patient once, the counts agree, and asking again (from the
compiled queries) gives the same pages."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from accounts.selectors import display_name, user_zone
from clinic.models import Membership, Prescription, Role
from clinic.selectors import patient_list
from clinic.selectors.attention import flag_window_start, flags_waiting, silence
from clinic.selectors.patient_list import SPARK_DAYS, Filter, ListQuery, Sort, patient_page
from journal.models import CheckIn
from journal.selectors import flagged_mornings, pain_points, pain_trend
from tests.clinic.conftest import World
from training.selectors import sessions_this_week_by_user

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
PAGE = 4  # small pages, so a clinic of a dozen patients has several
ZONES = ("UTC", "Pacific/Auckland", "America/Los_Angeles")

patients = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(["", "Ann", "ann", "ANN", "Bo", "Bo Diaz"]),
            "zone": st.sampled_from(ZONES),
            # Days before today of each morning, and whether it carried a red flag.
            "mornings": st.lists(
                st.tuples(st.integers(0, 40), st.booleans(), st.integers(0, 10)),
                max_size=4,
                unique_by=lambda m: m[0],
            ),
            "handled_days_ago": st.one_of(st.none(), st.integers(0, 10)),
            "snoozed_for": st.one_of(st.none(), st.integers(-3, 5)),
            "prescribed": st.booleans(),
            "joined_days_ago": st.integers(0, 10),
        }
    ),
    max_size=13,
)
QUIET_PATIENT = {
    "name": "",
    "zone": "UTC",
    "mornings": [],
    "handled_days_ago": None,
    "snoozed_for": None,
    "prescribed": False,
    "joined_days_ago": 0,
}
queries = st.builds(
    ListQuery,
    search=st.sampled_from(["", "ann", "bo", "ex.org", "zzz"]),
    filters=st.frozensets(st.sampled_from(list(Filter)), max_size=2),
    sort=st.sampled_from(list(Sort)),
    descending=st.booleans(),
)


def build(world: World, people: list[dict]) -> None:
    for n, person in enumerate(people):
        user = User.objects.create(username=f"p{n}@ex.org")
        Profile.objects.create(user=user, display_name=person["name"], time_zone=person["zone"])
        today = NOW.date()
        joined = Membership.objects.create(user=user, clinic=world.clinic, role=Role.PATIENT)
        Membership.objects.filter(pk=joined.pk).update(  # created_at is set on creation
            created_at=NOW - timedelta(days=person["joined_days_ago"]),
            flags_handled_through=None
            if person["handled_days_ago"] is None
            else NOW - timedelta(days=person["handled_days_ago"]),
            quiet_until=None
            if person["snoozed_for"] is None
            else today + timedelta(days=person["snoozed_for"]),
        )
        for back, flagged, pain in person["mornings"]:
            morning = CheckIn.objects.create(
                user=user,
                client_id=uuid.uuid4(),
                date=today - timedelta(days=back),
                first_step_pain=pain,
                answered_at=NOW - timedelta(days=back),
                numbness=flagged,
            )
            # When the server got it (updated_at is set on saving).
            CheckIn.objects.filter(pk=morning.pk).update(updated_at=NOW - timedelta(days=back))
        if person["prescribed"]:
            Prescription.objects.create(
                clinic=world.clinic, patient=user, routine=world.routine, days_per_week=3
            )


def one_shot(world: World, query: ListQuery) -> list[int]:
    """Every matching patient in order, worked out here in Python from the per-patient
    rules (attention.flags_waiting and silence, the advice's trend, the one week) over
    each patient's own rows, with no paging and none of the list's SQL."""
    found = []
    for m in Membership.objects.filter(clinic=world.clinic, role=Role.PATIENT):
        user, zone = m.user, user_zone(user=m.user)
        today = NOW.astimezone(zone).date()
        name = display_name(user=user)
        words = query.search.lower().split()
        if not all(
            w in name.lower() or w in user.email.lower() or w in user.username.lower()
            for w in words
        ):
            continue
        last = CheckIn.objects.filter(user=user).order_by("-date").first()
        flags = flags_waiting(
            flagged_mornings(user_ids=[user.pk], since=flag_window_start(today=today)),
            handled=m.flags_handled_through,
            today=today,
        )
        waiting_day = max((f.day for f in flags), default=None)
        quiet = silence(
            last_checkin=last.date if last else None,
            joined=m.created_at.astimezone(zone).date(),
            snoozed=m.quiet_until,
            today=today,
        ).alert
        prescriptions = Prescription.objects.filter(clinic=world.clinic, patient=user, active=True)
        titles = sorted(p.routine.title.lower() for p in prescriptions)
        trend = pain_trend(pain_points(days={user.pk: today}, span=SPARK_DAYS)[user.pk])
        days_a_week = sum(p.days_per_week for p in prescriptions)
        done = sessions_this_week_by_user(zones={user.pk: zone}, now=NOW).get(user.pk, 0)
        if (
            (Filter.FLAGGED in query.filters and waiting_day is None)
            or (Filter.SILENT in query.filters and not quiet)
            or (Filter.UNPRESCRIBED in query.filters and titles)
            or (Filter.RISING in query.filters and not trend.pain_rising)
        ):
            continue
        found.append(
            {
                "id": user.pk,
                "name": name.lower(),
                "rank": 0 if waiting_day else 1 if quiet else 2,
                Sort.NAME: name.lower(),
                Sort.FLAGS: waiting_day,
                Sort.LAST: last.date if last else None,
                Sort.PAIN: last.first_step_pain if last else None,
                Sort.TREND: trend.pain_change,
                Sort.SESSIONS: done / days_a_week if days_a_week else None,
                Sort.ROUTINE: titles[0] if titles else None,
                "quiet_since": last.date if last and quiet else None,
            }
        )
    found.sort(key=lambda p: (p["name"], p["id"]))  # ties: by name, then id
    if query.sort is Sort.ATTENTION:
        never = date.min  # quiet and never checked in: quiet the longest
        found.sort(key=lambda p: p["quiet_since"] or never if p["rank"] == 1 else never)
        found.sort(key=lambda p: p[Sort.FLAGS] or date.min, reverse=True)
        found.sort(key=lambda p: p["rank"])
        return [p["id"] for p in found]
    ascending = patient_list.SORT_ASCENDING[query.sort] != query.descending
    known = [p for p in found if p[query.sort] is not None]
    known.sort(key=lambda p: p[query.sort], reverse=not ascending)
    return [p["id"] for p in known] + [p["id"] for p in found if p[query.sort] is None]


def pages(membership: Membership, query: ListQuery) -> tuple[list[int], int, int]:
    first = patient_page(membership=membership, query=query, now=NOW)
    ids = [row.user_id for row in first.rows]
    for number in range(2, first.pages + 1):
        later = patient_page(
            membership=membership, query=ListQuery(**{**vars(query), "page": number}), now=NOW
        )
        assert (later.matching, later.pages) == (first.matching, first.pages)
        ids += [row.user_id for row in later.rows]
    return ids, first.matching, first.pages


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patient_list, "PAGE_SIZE", PAGE)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=patients, asked=st.lists(queries, min_size=1, max_size=4))
# Found by Hypothesis: two red flags waiting from the same day, both patients quiet since
# (one a day longer): they rank by name, not by how long each has been quiet.
@example(
    people=[
        {**QUIET_PATIENT, "mornings": [(3, False, 0), (4, True, 0)]},
        {**QUIET_PATIENT, "mornings": [(4, True, 0)]},
    ],
    asked=[ListQuery(search="", filters=frozenset(), sort=Sort.ATTENTION, descending=False)],
)
def test_the_pages_laid_end_to_end_are_the_one_shot_ordering(
    world: World, small_pages: None, people: list[dict], asked: list[ListQuery]
) -> None:
    with transaction.atomic():
        build(world, people)
        membership = Membership.objects.get(user=world.clinician)
        for query in asked:
            expected = one_shot(world, query)
            ids, matching, count = pages(membership, query)
            assert ids == expected, query
            assert len(set(ids)) == len(ids) == matching
            assert count == max(1, -(-matching // PAGE))
            assert pages(membership, query)[0] == ids  # again, from the compiled queries
        transaction.set_rollback(True)
