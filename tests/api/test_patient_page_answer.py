"""The clinic's patient list answer is built as plain JSON values (api.clinic.patient_page_answer,
for speed): it must be, byte for byte as the API renders it, what the PatientPageOut schema
itself makes of the same page — for any page: names and e-mails of any text, flags or
none, never checked in, snoozed, trends known or not, any counts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import api.v1  # noqa: F401 (every router's schemas defined)
from api.clinic import RENDERER, PatientPageOut, patient_page_answer
from clinic.selectors.attention import FlagWaiting, Silence
from clinic.selectors.patient_list import Filter, ListQuery, PatientPage, PatientRow
from clinic.sparkline import Spark
from journal.advice import Trend

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


def rendered(data: object) -> str:
    return RENDERER.render(None, data, response_status=200)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(pages)
def test_a_page_of_patients_answers_what_its_schema_answers(page: PatientPage) -> None:
    schema_own = rendered(PatientPageOut.from_orm(page).model_dump())
    assert rendered(patient_page_answer(page)) == schema_own


@settings(max_examples=50, deadline=None)
@given(rows, st.floats(-10, 10, allow_nan=False), st.booleans())
def test_a_changing_trend_and_a_quiet_patient_read_the_same(
    row: PatientRow, change: float, never: bool
) -> None:
    """The resolved fields in particular: pain change rounded, rising, days since, alert."""
    last = max(0.0, min(10.0, 5 + change))
    row = PatientRow(
        **{
            **row.__dict__,
            "trend": Trend(this_week_pain=last, last_week_pain=5.0),
            "silence": Silence(days=4, never=never, snoozed_until=None),
        }
    )
    page = PatientPage(rows=[row], query=ListQuery(), page=1, pages=1, matching=1, patients=1)
    answer = patient_page_answer(page)
    assert rendered(answer) == rendered(PatientPageOut.from_orm(page).model_dump())
    assert answer["patients"][0]["days_since_checkin"] == (None if never else 4)
