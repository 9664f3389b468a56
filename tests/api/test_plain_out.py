"""Answers read from plain dataclasses (api/schemas.py PlainOut) are what ninja's own way
gave: for any page of the clinic's patient list — names and e-mails of any text, flags
or none, never checked in, snoozed, trends known or not — the same JSON values, field by
field, resolvers included.

ninja's way is forced by handing the schema the same objects behind a wrapper that is not
a dataclass (every level of it), which PlainOut passes on to ninja's DjangoGetter."""

from __future__ import annotations

from dataclasses import is_dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import api.v1  # noqa: F401 (every router's schemas defined)
from api.clinic import FlagOut, PatientPageOut
from api.schemas import PlainOut
from clinic.selectors.attention import FlagWaiting, Silence
from clinic.selectors.patient_list import Filter, ListQuery, PatientPage, PatientRow
from clinic.sparkline import Spark
from journal.advice import Trend


class Opaque:
    """The same object, read attribute by attribute, but not a dataclass."""

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def __getattr__(self, name: str) -> Any:
        return opaque(getattr(self._obj, name))


def opaque(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return Opaque(value)
    if isinstance(value, list):
        return [opaque(item) for item in value]
    return value


pains = st.none() | st.integers(0, 10)
means = st.none() | st.floats(0, 10, allow_nan=False)
texts = st.text(max_size=12)
flags = st.builds(
    FlagWaiting,
    day=st.dates(),
    age=st.integers(0, 40),
    flags=st.tuples(texts),
    labels=st.lists(texts, max_size=3),
    received_at=st.datetimes(),
)
rows = st.builds(
    PatientRow,
    user_id=st.integers(1, 10**9),
    name=texts,
    email=texts,
    phone=texts,
    tel=texts,
    joined=st.datetimes(),
    last_checkin=st.none() | st.dates(),
    last_pain=pains,
    silence=st.builds(
        Silence, days=st.integers(0, 99), never=st.booleans(), snoozed_until=st.none() | st.dates()
    ),
    flags=st.lists(flags, max_size=4),
    points=st.lists(pains, min_size=14, max_size=14),
    spark=st.builds(
        Spark,
        width=st.integers(0, 99),
        height=st.integers(0, 99),
        path=texts,
        last_x=st.none() | st.integers(0, 99),
        last_y=st.none() | st.integers(0, 99),
        label=texts,
    ),
    trend=st.builds(Trend, this_week_pain=means, last_week_pain=means),
    sessions_week=st.integers(0, 20),
    prescribed_week=st.integers(0, 20),
    routines=st.lists(texts, max_size=3),
)
pages = st.builds(
    PatientPage,
    rows=st.lists(rows, max_size=4),
    query=st.just(ListQuery()),
    page=st.integers(1, 9),
    pages=st.integers(1, 9),
    matching=st.integers(0, 999),
    patients=st.integers(0, 999),
    counts=st.dictionaries(st.sampled_from(list(Filter)), st.integers(0, 999)),
)


@settings(max_examples=150, deadline=None)
@given(pages)
def test_a_page_of_patients_reads_as_ninja_read_it(page: PatientPage) -> None:
    plain = PatientPageOut.model_validate(page).model_dump(mode="json")
    ninja = PatientPageOut.model_validate(opaque(page)).model_dump(mode="json")
    assert plain == ninja
    assert [row["id"] for row in plain["patients"]] == [row.user_id for row in page.rows]


def test_anything_but_a_dataclass_goes_ninjas_way() -> None:
    flag = {"day": "2026-12-01", "age": 1, "labels": ["Numbness"]}
    assert FlagOut.model_validate(flag).model_dump(mode="json") == {
        "day": "2026-12-01",
        "age_days": 1,
        "labels": ["Numbness"],
    }
    assert issubclass(PatientPageOut, PlainOut)
