"""The check-in upsert prepares its values as Django would, whatever it keeps.

journal.upsert keeps the preparation of values of a few immutable types (yes/no, whole
numbers, text, days) per database and column, and each moment once per write. Whatever
the order of values and whatever is kept already, every value must come out exactly as
`field.get_db_prep_save(value, connection)` makes it (same type, same value), or fail
the same way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from journal import upsert
from journal.upsert import KEPT_PREPARATIONS, _Prepared, _written

COLUMNS = _written()

# Every type a check-in's value can have, and the near misses a cache could confuse:
# True == 1 == 1.0, 5.2 == Decimal("5.20"), a datetime is a date.
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.sampled_from([0, 1, True, False, 1.0, 0.0, Decimal("1"), Decimal("5.2"), Decimal("5.20")]),
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=999),
    st.text(max_size=12),
    st.sampled_from(["run", "walk", "", "heel", "7", "true", "2026-11-30"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(
        min_value=datetime(1900, 1, 2),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=13)), timezone(-timedelta(hours=5))]
        ),
    ),
    st.uuids(),
    st.lists(st.sampled_from(["heel", "arch", "ball"]), max_size=3),
)


def outcome(prepare: Any, *args: Any) -> tuple[Any, ...]:
    """What a preparation gave: its type and value, or the type of its failure."""
    try:
        value = prepare(*args)
    except Exception as error:  # (whatever Django raises, the same must be raised)
        return ("raised", type(error))
    # psycopg's JSON wrapper has no equality of its own: compare what it wraps.
    inner = getattr(value, "obj", value)
    return ("gave", type(value), type(inner), inner)


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upsert, "_kept", {})


@pytest.mark.django_db
@settings(max_examples=300, deadline=None)
@given(
    writes=st.lists(
        st.lists(st.tuples(st.sampled_from(COLUMNS), VALUES), min_size=1, max_size=30),
        min_size=1,
        max_size=4,
    )
)
def test_every_value_is_prepared_as_django_prepares_it(
    writes: list[list[tuple[Any, Any]]],
) -> None:
    upsert._kept.clear()  # (each example starts cold, then warms as a server does)
    for write in writes:
        prepared = _Prepared(connection)  # one write: its own moments, the process's kept
        for field, value in write:
            expected = outcome(field.get_db_prep_save, value, connection)
            assert outcome(prepared, field, value) == expected, (field.name, value)
            # ...and again, now that it may be kept (a replay of the same answers).
            assert outcome(prepared, field, value) == expected, (field.name, value)


@pytest.mark.django_db
def test_what_is_kept_is_bounded_and_still_right_beyond_the_bound() -> None:
    pain = next(field for field in COLUMNS if field.name == "stiffness_minutes")
    prepared = _Prepared(connection)

    for minutes in range(KEPT_PREPARATIONS + 500):
        assert prepared(pain, minutes) == pain.get_db_prep_save(minutes, connection)

    assert len(upsert._kept) == KEPT_PREPARATIONS
    assert prepared(pain, KEPT_PREPARATIONS + 499) == KEPT_PREPARATIONS + 499


@pytest.mark.django_db
def test_kept_preparations_are_per_database_and_column() -> None:
    flag, score, activity = (
        next(f for f in COLUMNS if f.name == name)
        for name in ("numbness", "first_step_pain", "activity")
    )
    prepared = _Prepared(connection)

    assert prepared(flag, 1) is True  # a yes/no column makes 1 a yes...
    assert type(prepared(score, 1)) is not bool  # ...a pain score keeps it a number
    # True == 1, yet a text column writes them apart.
    assert (prepared(activity, True), prepared(activity, 1)) == ("True", "1")
    assert {key[:2] for key in upsert._kept} == {
        (connection.alias, "numbness"),
        (connection.alias, "first_step_pain"),
        (connection.alias, "activity"),
    }
