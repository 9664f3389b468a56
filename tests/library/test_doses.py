"""One set of dose limits: what a content file may say, the editor and API accept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from footing.errors import Invalid
from library.content_files import Dose as DoseFile
from library.content_files import RoutineItemFile
from library.doses import LIMITS, MEASURES, Dose
from library.types import DraftItem

# Numbers around and past every limit, and "not given".
number = st.one_of(st.none(), st.integers(min_value=-5, max_value=1000))


def _file_accepts(values: dict[str, int | None]) -> bool:
    try:
        DoseFile(**{k: v for k, v in values.items() if v is not None})
    except ValidationError:
        return False
    return True


def _editor_accepts(values: dict[str, int | None]) -> bool:
    try:
        DraftItem(exercise="x", **values).dose(where="items.0")  # type: ignore[arg-type]
    except Invalid:
        return False
    return True


@given(
    sets=st.integers(min_value=-5, max_value=1000),
    reps=number,
    hold_seconds=number,
    minutes=number,
    rest_seconds=st.integers(min_value=-5, max_value=1000),
)
def test_the_content_files_and_the_editor_accept_exactly_the_same_doses(**values: int) -> None:
    """A routine that loads can always be saved again in the editor, and the editor can
    never store what the loader would refuse."""
    assert _file_accepts(values) == _editor_accepts(values)


@given(
    sets=st.integers(LIMITS["sets"].low, LIMITS["sets"].high),
    measure=st.sampled_from(MEASURES),
    data=st.data(),
    rest=st.integers(LIMITS["rest_seconds"].low, LIMITS["rest_seconds"].high),
)
def test_every_dose_within_the_limits_is_accepted_and_reads_as_a_runner_would(
    sets: int, measure: str, data: st.DataObject, rest: int
) -> None:
    limit = LIMITS[measure]
    amount = data.draw(st.integers(limit.low, limit.high))
    dose = Dose.checked(sets=sets, rest_seconds=rest, **{measure: amount})

    assert (dose.measure, dose.amount) == (measure, amount)
    if measure == "reps":
        assert dose.text == f"{sets} × {amount}"
    elif measure == "hold_seconds":
        assert dose.text == f"{sets} × {amount} s hold"
    else:
        assert dose.text == (f"{amount} min" if sets == 1 else f"{sets} × {amount} min")
    assert Dose.of(dose.as_fields()) == dose


@pytest.mark.parametrize("name", ["sets", *MEASURES, "rest_seconds"])
def test_a_number_past_its_limit_is_refused_naming_its_field(name: str) -> None:
    limit = LIMITS[name]
    values = {"sets": 3, "reps": 10} | {name: limit.high + 1}
    if name in ("hold_seconds", "minutes"):
        values.pop("reps")

    with pytest.raises(Invalid) as error:
        Dose.checked(where="items.3", **values)

    assert error.value.field == f"items.3.{name}"
    assert str(limit.high) in error.value.message
    with pytest.raises(ValidationError):
        RoutineItemFile(exercise="calf-raise", **values)


def test_exactly_one_measure() -> None:
    for values in ({"sets": 3}, {"sets": 3, "reps": 10, "minutes": 5}):
        with pytest.raises(Invalid, match="exactly one") as error:
            Dose.checked(where="items.0", **values)
        assert error.value.field == "items.0"


def test_a_published_dose_past_todays_limits_still_reads() -> None:
    """Snapshots are history: showing one never fails, whatever the limits were then."""
    assert Dose.of({"sets": 30, "reps": 500, "rest_seconds": 900}).text == "30 × 500"
