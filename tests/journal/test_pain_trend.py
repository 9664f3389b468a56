"""The patient list's trend from daily points (journal.selectors.pain_trend, kept per
points) is the advice's own rule over the same mornings as a diary with real dates: for
any fortnight of points, any gaps, on any day, and asked again (from the kept answer)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from journal.advice import trend_from
from journal.selectors import pain_trend

fortnights = st.lists(st.none() | st.integers(0, 10), min_size=1, max_size=21)


@given(fortnights, st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_the_trend_of_points_is_the_advice_rule_over_those_mornings(
    points: list[int | None], today: date
) -> None:
    first = today - timedelta(days=len(points) - 1)
    diary = [(first + timedelta(days=i), p, None) for i, p in enumerate(points) if p is not None]
    expected = trend_from(day=today, diary=diary)
    assert pain_trend(points) == expected
    assert pain_trend(list(points)) == expected  # the kept answer, for equal points
