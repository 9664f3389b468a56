"""The list's two phases give the one-shot answer: over random clinics (names that tie,
in any case; three time zones; mornings with and without red flags, handled or not;
snoozes; prescriptions), every sort, direction, filter and search, the pages laid end
to end are exactly the ordering one query over every matching patient gives, each
patient once, the counts agree, and asking again (from the compiled queries) gives the
same pages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from clinic.models import Membership, Prescription, Role
from clinic.selectors import patient_list
from clinic.selectors.attention import zone_days
from clinic.selectors.patient_list import Filter, ListQuery, Sort, patient_page
from journal.models import CheckIn
from tests.clinic.conftest import World

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
    """Every matching patient in order, from one query (or, for the sorts done in
    Python, from one pass over all of them), with no paging at all."""
    zones = Profile.objects.filter(
        user__memberships__clinic=world.clinic, user__memberships__role=Role.PATIENT
    ).values_list("time_zone", flat=True)
    shape = patient_list._Shape(world.clinic.pk, zone_days(zones=zones, now=NOW), query)
    if query.sort in (Sort.TREND, Sort.SESSIONS) or Filter.RISING in query.filters:
        return patient_list._ordered_in_python(shape, now=NOW)
    ordered = patient_list._ordered(shape.matching(), query)
    return list(ordered.values_list("user_id", flat=True))


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
